#include "tests/support/stop_on_signal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/subprocess.h"

namespace caunoi::testing {
namespace {

std::mutex cleanups_mutex;
std::map<int, std::function<void()>>* cleanups = nullptr;  // by handle, oldest first
int next_handle = 0;

// Held from the signal's arrival until the program ends by it, so a main
// thread that reaches exit() meanwhile waits instead of tearing down what
// the cleanup still uses.
std::mutex stopping_mutex;

int signal_pipe[2] = {-1, -1};

void OnSignal(int signal_number) {
  const char byte = static_cast<char>(signal_number);
  (void)!write(signal_pipe[1], &byte, 1);  // async-signal-safe; the thread does the rest
}

void StopWhenSignalled() {
  char byte = 0;
  while (read(signal_pipe[0], &byte, 1) != 1) {
  }
  stopping_mutex.lock();  // never unlocked: the program ends below
  std::vector<std::function<void()>> newest_first;
  {
    std::lock_guard<std::mutex> lock(cleanups_mutex);
    if (cleanups != nullptr) {
      for (auto it = cleanups->rbegin(); it != cleanups->rend(); ++it) {
        newest_first.push_back(it->second);
      }
    }
  }
  for (const std::function<void()>& cleanup : newest_first) cleanup();
  RemoveTempDirectories();
  const int signal_number = byte;
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

}  // namespace

void StopOnSignal() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (pipe2(signal_pipe, O_CLOEXEC) != 0) return;
    std::atexit([] { std::lock_guard<std::mutex> wait_for_cleanup(stopping_mutex); });
    std::thread(StopWhenSignalled).detach();
    struct sigaction action = {};
    action.sa_handler = OnSignal;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      sigaction(signal_number, &action, nullptr);
    }
  });
}

int AtSignal(std::function<void()> cleanup) {
  std::lock_guard<std::mutex> lock(cleanups_mutex);
  if (cleanups == nullptr) cleanups = new std::map<int, std::function<void()>>();
  const int handle = next_handle++;
  cleanups->emplace(handle, std::move(cleanup));
  return handle;
}

void CancelAtSignal(int handle) {
  std::lock_guard<std::mutex> lock(cleanups_mutex);
  if (cleanups != nullptr) cleanups->erase(handle);
}

}  // namespace caunoi::testing
