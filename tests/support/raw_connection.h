#ifndef CAUNOI_TESTS_SUPPORT_RAW_CONNECTION_H_
#define CAUNOI_TESTS_SUPPORT_RAW_CONNECTION_H_

#include <string>

#include "absl/strings/string_view.h"

namespace caunoi::testing {

// A raw TCP connection to a port on 127.0.0.1: for what no gRPC client
// does (connect and say nothing, or only part of a greeting), and under
// the tests' HTTP client.
class RawConnection {
 public:
  // Reads wait at most `read_timeout_seconds`, so a server that never
  // closes fails the test instead of stalling it.
  explicit RawConnection(int port, int read_timeout_seconds = 20);
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  bool connected() const { return connected_; }
  // Every byte; false when the connection failed first.
  bool Send(absl::string_view bytes);
  // Reads until the server closes the connection, appending what arrives
  // to `received`; false when it did not close within the read timeout.
  bool ReadToClose(std::string& received);
  bool ClosedByTheServer();
  // Whether the server has closed it by now, without waiting.
  bool ClosedAlready();

 private:
  const int fd_;
  bool connected_ = false;
};

// The HTTP/2 client preface and an empty SETTINGS frame: a caller's hello.
inline constexpr absl::string_view kHttp2Greeting(
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00", 33);

}  // namespace caunoi::testing

#endif  // CAUNOI_TESTS_SUPPORT_RAW_CONNECTION_H_
