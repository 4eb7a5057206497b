# Reference values for TestNewcombe and TestWilson (measure_test.go):
# statsmodels' Newcombe hybrid score interval for a difference of two
# independent proportions and the Wilson score interval, 95%.
# Run with Debian's python3-statsmodels: /usr/bin/python3 testdata/newcombe_reference.py
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

cases = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20),
         (0, 10, 0, 10), (10, 10, 0, 20), (10, 10, 0, 10), (130, 2000, 95, 2000)]
for x1, n1, x2, n2 in cases:
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=0.05)
    print('{%d, %d, %d, %d, %.10f, %.10f},' % (x1, n1, x2, n2, lo, hi))
for x, n in [(56, 70), (0, 10), (10, 10), (3, 10)]:
    lo, hi = proportion_confint(x, n, alpha=0.05, method='wilson')
    print('{%d, %d, %.10f, %.10f},' % (x, n, lo, hi))
