"""Logistic regression by Newton's method (IRLS, with step halving) and a light ridge penalty, in plain numpy.

Features are standardised on the training rows; the intercept is not penalised. Small and exact:
a few hundred to a few tens of thousands of rows, fifteen features, converged in a handful of steps.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RIDGE = 1.0


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray           # on standardised features
    intercept: float

    def z(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale

    def predict(self, x: np.ndarray) -> np.ndarray:
        return _sigmoid(self.z(x) @ self.coef + self.intercept)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Each feature's push on the log-odds against an average account (positive: more risk)."""
        return self.z(x) * self.coef


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(v / 2))  # 1 / (1 + e^−v), without overflow


def fit(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE, steps: int = 50) -> Logistic:
    """Fit P(y = 1 | x); ``x`` is rows × features, ``y`` 0/1."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    p0 = min(max(y.mean(), 1e-3), 1 - 1e-3)
    beta[0] = np.log(p0 / (1 - p0))
    penalty = np.full(z.shape[1], ridge)
    penalty[0] = 0.0
    def objective(b: np.ndarray) -> float:  # the penalised log-likelihood
        v = z @ b
        return float(y @ v - np.logaddexp(0, v).sum() - 0.5 * (penalty * b * b).sum())

    current = objective(beta)
    for _ in range(steps):
        p = _sigmoid(z @ beta)
        w = p * (1 - p)
        grad = z.T @ (y - p) - penalty * beta
        hess = (z * w[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess + 1e-9 * np.eye(len(beta)), grad)
        for _ in range(30):  # halve the step until the likelihood does not fall (separable data)
            if objective(beta + step) >= current - 1e-12:
                break
            step /= 2
        beta += step
        current = objective(beta)
        if np.max(np.abs(step)) < 1e-8:
            break
    return Logistic(mean, scale, beta[1:], float(beta[0]))


def auc(score: np.ndarray, y: np.ndarray) -> float | None:
    """The chance a random positive scores above a random negative (ties count half)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return None
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    values = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(values))
    i = 0
    while i < len(values):  # average ranks over ties
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    full = np.empty(len(values))
    full[order] = ranks
    r_pos = full[:len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def resample_weights(rng: np.random.Generator, n: int, times: int) -> np.ndarray:
    """Bootstrap resamples as weights: row ``b`` counts how often each of ``n`` items was drawn."""
    return np.array([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(times)], dtype=float)
