"""Spark in local mode (2 cores, as CI has), 4 partitions: partial cohorts per partition (mapInPandas), merged on
the driver, equal the single-machine cohort bit for bit. Under a minute.

Set LIVING_WELL_REQUIRE_SPARK=1 (as .ci/python.sh does) to fail rather than skip when
pyspark or Java is missing.
"""
import os
import shutil
import sys

import pytest

import living_well as lw
from conftest import SAMPLE, frames_identical

if os.environ.get("LIVING_WELL_REQUIRE_SPARK") != "1":
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402

from living_well import spark as lw_spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("living-well-test")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        # Small batches: a partition's readings must pair across them.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "50")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_partials_merged_equal_one_machine_bit_for_bit(spark):
    for path in (SAMPLE,):
        # All columns as text: the CSV's own cells, `NA` and `DK` included.
        responses = spark.read.csv(str(path), header=True)
        parts = lw_spark.partials(responses, partitions=4).collect()
        assert len(parts) == 4
        partials = [lw.Cohort.from_json(r["cohort"]) for r in parts]
        assert all(p.respondents > 0 for p in partials)
        merged = lw.merge(partials)
        single = lw.read_csv(path)
        assert merged == single
        for k in (5, 1):
            assert merged.summarise(k).to_csv() == single.summarise(k).to_csv()
            assert frames_identical(merged.summary(min_group=k), single.summary(min_group=k))


def test_cohort_helper_and_sites(spark):
    responses = spark.read.csv(str(SAMPLE), header=True)
    whole = lw_spark.cohort(responses, partitions=4)
    assert whole == lw.read_csv(SAMPLE)
    # Sites as groups; disclosure only at the end, on the merged cohort.
    tidy = whole.summary(min_group=5)
    assert set(tidy["group"]) == {"(all)", *whole.groups}


def test_a_bad_row_fails_the_job(spark):
    bad = spark.createDataFrame(
        [("a", "9")], "respondent string, `purpose.people.relational.1` string"
    )
    # The worker's FrameError, in the job's failure (its class depends on the action).
    with pytest.raises(Exception, match="rating 9 of statement"):
        lw_spark.cohort(bad, partitions=1)
