#include "common/calls/caller_watch.h"

namespace caunoi::calls {
namespace {

thread_local CallerGoneCheck watched_gone = nullptr;
thread_local const void* watched_call = nullptr;

}  // namespace

void WatchCaller(CallerGoneCheck gone, const void* call) {
  watched_gone = gone;
  watched_call = call;
}

void StopWatchingCaller() { WatchCaller(nullptr, nullptr); }

bool CallerGone() { return watched_gone != nullptr && watched_gone(watched_call); }

UnwatchedScope::UnwatchedScope() : saved_gone_(watched_gone), saved_call_(watched_call) {
  StopWatchingCaller();
}

UnwatchedScope::~UnwatchedScope() { WatchCaller(saved_gone_, saved_call_); }

}  // namespace caunoi::calls
