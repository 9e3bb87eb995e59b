#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_MOVES_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_MOVES_H_

#include <cstddef>

#include "absl/time/time.h"

namespace caunoi::gateway::relay {

// A busy relay loop's view when it weighs its load: its callers that may
// move, its share of a core and the quietest other loop's.
struct LoopLoad {
  size_t movable_callers = 0;  // greeted and not already asked to leave
  double share = 0;
  double quiet_share = 0;
};

// How many callers a busy loop asks to leave at once: as many as would
// even the two loops' shares, were each caller an equal part of this
// loop's, so that callers that connected in a burst and all landed on one
// loop leave together rather than one a window. At least one and never
// the last, since moving a loop's only caller moves its load whole. None
// within one and a half load windows of the last batch: the share read
// then still counts the calls of the callers that were leaving, and would
// move too many.
size_t CallersToMove(const LoopLoad& load, absl::Duration since_last_batch,
                     absl::Duration load_window);

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_CALLER_MOVES_H_
