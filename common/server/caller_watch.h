#ifndef CAUNOI_COMMON_SERVER_CALLER_WATCH_H_
#define CAUNOI_COMMON_SERVER_CALLER_WATCH_H_

namespace caunoi {

// Lets the database statements of a synchronous handler end when its
// caller cancels or runs out of time (see common/calls/caller_watch.h).
// gRPC allows one such hook per process, set before the first server is
// built: call this first thing in a server binary; later calls do nothing.
void WatchCallersOfSyncHandlers();

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_CALLER_WATCH_H_
