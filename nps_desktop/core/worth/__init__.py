"""What NPS is worth: the value of a move, churn risk backtested, key drivers, goals and benchmarks."""
