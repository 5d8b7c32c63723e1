"""An independent r_wg(J) for tests/agreement.rs, written from James, Demaree & Wolf (1984).

No published example with printed raw ratings and printed results was found to reproduce,
so this script is the reference: exact rational arithmetic, standard library only.

    sigma_EU^2 = (A^2 - 1) / 12                      (uniform null, A scale points)
    S = mean over the J items of the item's sample variance (n - 1)
    S is truncated at sigma_EU^2 (R multilevel's rwg.j; LeBreton & Senter 2008)
    r_wg(J) = J (1 - S/sigma_EU^2) / (J (1 - S/sigma_EU^2) + S/sigma_EU^2)

Run: python3 scripts/rwg_reference.py
"""

from fractions import Fraction


def sample_variance(xs):
    xs = [Fraction(x) for x in xs]
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def rwg_j(items, points):
    expected = Fraction(points * points - 1, 12)
    s = sum(sample_variance(item) for item in items) / len(items)
    ratio = min(s / expected, Fraction(1))
    j = len(items)
    return j * (1 - ratio) / (j * (1 - ratio) + ratio)


CASES = {
    # A 5-point group of 6 rating 4 statements, some skipped.
    "five_point_four_items": (
        5,
        [[4, 4, 5, 3, 4, 4], [3, 4, 4, 4, 5], [5, 5, 4, 4, 5, 3], [2, 3, 3, 4]],
    ),
    # A 7-point group of 5 rating 2 statements.
    "seven_point_two_items": (7, [[6, 7, 5, 6, 4], [2, 3, 5, 3, 4]]),
    # A widely spread 5-point item (S = 12/7), alone and as three copies.
    "wide_one_item": (5, [[1, 5, 2, 4, 3, 3, 2, 4]]),
    "wide_three_items": (5, [[1, 5, 2, 4, 3, 3, 2, 4]] * 3),
}

for name, (points, items) in CASES.items():
    value = rwg_j(items, points)
    print(name, value, repr(float(value)))
