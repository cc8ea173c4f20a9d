// The sample sizes and bounds of OPIM-C (Tang, Tang, Xiao, Yuan: "Online Processing Algorithms for Influence
// Maximization", SIGMOD 2018, Algorithm 2 and Lemmas 4.2-4.3), as plain functions so tests can hold them against
// the paper's formulas. n: nodes; k: seed set size; eps: the approximation slack; delta: the failure probability.
// Coverages are numbers of RR sets; spreads are in people.
#pragma once

#include <cmath>
#include <cstdint>

namespace vouch::influence::opim {

inline double LogBinomial(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

// theta_max = 2n ((1-1/e) sqrt(ln(6/delta)) + sqrt((1-1/e)(ln C(n,k) + ln(6/delta))))^2 / (eps^2 k):
// enough RR sets for the guarantee even without early stopping.
// When only `choosable` of the n people may be seeds, the union bound runs over C(choosable, k) sets.
inline double ThetaMax(double n, double k, double eps, double delta, double choosable = 0) {
  const double c = 1 - std::exp(-1.0);
  const double alpha = std::sqrt(std::log(6 / delta));
  const double beta = std::sqrt(c * (LogBinomial(choosable > 0 ? choosable : n, k) + std::log(6 / delta)));
  return 2 * n * (c * alpha + beta) * (c * alpha + beta) / (eps * eps * k);
}

// theta_0 = theta_max * eps^2 * k / n: the first round's RR sets (in each of R1 and R2).
inline double Theta0(double n, double k, double eps, double delta, double choosable = 0) {
  return ThetaMax(n, k, eps, delta, choosable) * eps * eps * k / n;
}

// i_max = ceil(log2(theta_max / theta_0)): the number of doublings.
inline int IMax(double n, double k, double eps) {
  // theta_max / theta_0 = n / (eps^2 k) whatever the rest.
  return std::max(1, static_cast<int>(std::ceil(std::log2(n / (eps * eps * k)))));
}

// a = ln(3 i_max / delta): each round's bounds hold with probability 1 - delta / (3 i_max).
inline double BoundSlack(int i_max, double delta) { return std::log(3.0 * i_max / delta); }

// Lower bound on the spread of S from its coverage on R2 (theta2 sets):
// ((sqrt(cov + 2a/9) - sqrt(a/2))^2 - a/18) * n / theta2.
inline double SpreadLowerBound(double coverage, double theta, double n, double a) {
  const double r = std::sqrt(coverage + 2 * a / 9) - std::sqrt(a / 2);
  return std::max(0.0, (r * r - a / 18) * n / theta);
}

// Upper bound on a spread from an upper bound on its coverage on R1 (theta1 sets):
// (sqrt(cov + a/2) + sqrt(a/2))^2 * n / theta1.
inline double SpreadUpperBound(double coverage, double theta, double n, double a) {
  const double r = std::sqrt(coverage + a / 2) + std::sqrt(a / 2);
  return r * r * n / theta;
}

}  // namespace vouch::influence::opim
