#include "services/gateway/relay/caller_moves.h"

#include <algorithm>
#include <cmath>

namespace caunoi::gateway::relay {

size_t CallersToMove(const LoopLoad& load, absl::Duration since_last_batch,
                     absl::Duration load_window) {
  if (since_last_batch < 1.5 * load_window) return 0;
  if (load.movable_callers < 2 || load.share <= 0) return 0;
  const auto evening = static_cast<size_t>(
      std::max(0L, std::lround(static_cast<double>(load.movable_callers) *
                               (load.share - load.quiet_share) / (2 * load.share))));
  return std::clamp<size_t>(evening, 1, load.movable_callers - 1);
}

}  // namespace caunoi::gateway::relay
