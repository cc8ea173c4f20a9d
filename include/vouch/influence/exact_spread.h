// ExactSpread: the exact expected spread of a seed set on a tiny graph, by enumerating every live-edge world
// (Kempe et al. 2003): for IC (and WOM adoption) each arc is live with its probability, 2^arcs worlds; for LT each
// node keeps at most one in-arc, chosen with its weight, prod(in-degree + 1) worlds. The spread is the
// probability-weighted number of nodes reachable from the seeds. For checking estimators; refuses more than
// 2^22 worlds with InvalidArgument.
#pragma once

#include <vector>

#include "vouch/core/status.h"
#include "vouch/influence/diffusion_model.h"

namespace vouch::influence {

Result<double> ExactSpread(const DiffusionModel& model, const std::vector<NodeId>& seeds);

}  // namespace vouch::influence
