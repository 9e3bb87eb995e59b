#ifndef CAUNOI_COMMON_SERVER_SIGNALS_H_
#define CAUNOI_COMMON_SERVER_SIGNALS_H_

namespace caunoi {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it
// starts afterwards, so only WaitForTerminationSignal sees them. Call first
// thing in main, before gRPC or any pool starts threads.
void BlockTerminationSignals();

// Returns the signal number once SIGTERM or SIGINT arrives.
int WaitForTerminationSignal();

}  // namespace caunoi

#endif  // CAUNOI_COMMON_SERVER_SIGNALS_H_
