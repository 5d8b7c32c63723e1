"""Cohorts of Spark DataFrames: one partial per partition, merged on the driver.

The pattern, for data that outgrows one machine::

    from pyspark.sql import SparkSession
    import living_well as lw
    from living_well.spark import cohort

    spark = SparkSession.builder.getOrCreate()
    responses = spark.read.csv("responses/*.csv", header=True)  # wide or long layout
    whole = cohort(responses)                # a living_well.Cohort
    tidy = whole.summary(min_group=5)        # disclosure control once, on the whole

1. **Partition by respondent.** ``repartition(n, "respondent")`` sends every row of a
   respondent to one partition, so that their current and desired readings meet there
   (the aspiration gap pairs them) and a respondent given twice is still found. The
   pairing state is not merged across partitions: a respondent split across two would
   count as two people with one reading each.
2. **One partial per partition.** ``mapInPandas`` feeds each partition's Arrow batches to a
   :class:`living_well.CohortBuilder` (batch after batch, so a partition's readings pair
   even across batches) and yields one row: the partial cohort's JSON wire form.
3. **Merge on the driver.** The partials (a few kB each: tallies, never ratings) are
   collected and merged. For the canonical definition on an integer scale the tallies are
   exact integers, so the merged cohort, and its summary, are bit for bit those of one pass
   over all the rows, whatever the partitioning and order.
4. **Disclose at the end.** Groups (sites, regions) are tallied unsuppressed in the
   partials; disclosure control runs once, on the merged cohort (``summary(min_group=k)``),
   where group sizes are national. Partials are not for publication.

Errors in a partition (a rating off the scale, say) fail the Spark job with the
:class:`living_well.FrameError` message, its row counted within the partition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

import pandas as pd

import living_well as lw

if TYPE_CHECKING:  # pyspark is optional
    from pyspark.sql import DataFrame as SparkFrame

#: The schema of the partials' DataFrame: one JSON wire form per partition.
PARTIAL_SCHEMA = "cohort string"


def partial_builder(
    scorer: lw.Scorer | None = None,
    missing_data: str = "pairwise",
    columns: Mapping[Any, str] | None = None,
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The function for ``mapInPandas``: a partition's batches in, one row out holding the
    partial cohort's JSON (column ``cohort``)."""

    def build(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        builder = lw.CohortBuilder(scorer, missing_data)
        for batch in batches:
            builder.add_frame(batch, columns)
        yield pd.DataFrame({"cohort": [builder.finish().to_json()]})

    return build


def partials(
    responses: SparkFrame,
    *,
    scorer: lw.Scorer | None = None,
    missing_data: str = "pairwise",
    columns: Mapping[Any, str] | None = None,
    partitions: int | None = None,
    respondent: str = "respondent",
) -> SparkFrame:
    """A Spark DataFrame of partial cohorts (column ``cohort``, JSON), one per partition of
    ``responses`` repartitioned by its ``respondent`` column (into ``partitions``
    partitions, or Spark's default number)."""
    # Spark resolves dotted names (statement ids) as struct fields in mapInPandas: the
    # partitions see positional names, mapped back to the frame's own (and then through
    # `columns`) in each partition.
    names = responses.columns
    given = dict(columns or {})
    mapping = {f"_c{i}": given.get(n, n) for i, n in enumerate(names)}
    positional = responses.toDF(*mapping)
    by = positional[f"_c{names.index(respondent)}"]
    parts = positional.repartition(partitions, by) if partitions else positional.repartition(by)
    return parts.mapInPandas(partial_builder(scorer, missing_data, mapping), PARTIAL_SCHEMA)


def cohort(
    responses: SparkFrame,
    *,
    scorer: lw.Scorer | None = None,
    missing_data: str = "pairwise",
    columns: Mapping[Any, str] | None = None,
    partitions: int | None = None,
    respondent: str = "respondent",
) -> lw.Cohort:
    """The cohort of a Spark DataFrame of responses (wide or long layout, as
    :func:`living_well.cohort` takes a pandas one): partials per partition, merged on the
    driver."""
    parts = partials(
        responses,
        scorer=scorer,
        missing_data=missing_data,
        columns=columns,
        partitions=partitions,
        respondent=respondent,
    )
    merged = lw.Cohort(scorer, missing_data)
    for row in parts.collect():
        merged.merge(lw.Cohort.from_json(row["cohort"]))
    return merged
