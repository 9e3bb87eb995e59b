#include "tests/support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace caunoi::testing {
namespace {

// Reads until end of stream or an error, appending what arrives:
// whether the peer closed it.
bool ReadToClose(int fd, int flags, std::string& received) {
  char buffer[8192];
  for (;;) {
    const ssize_t got = recv(fd, buffer, sizeof(buffer), flags);
    if (got == 0) return true;
    if (got < 0) return errno == ECONNRESET;
    received.append(buffer, static_cast<size_t>(got));
  }
}

}  // namespace

RawConnection::RawConnection(int port, int read_timeout_seconds)
    : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  const timeval wait{.tv_sec = read_timeout_seconds, .tv_usec = 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
}

RawConnection::~RawConnection() { close(fd_); }

bool RawConnection::Send(absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool RawConnection::ReadToClose(std::string& received) {
  return testing::ReadToClose(fd_, 0, received);
}

bool RawConnection::ClosedByTheServer() {
  std::string ignored;
  return ReadToClose(ignored);
}

bool RawConnection::ClosedAlready() {
  std::string ignored;
  return testing::ReadToClose(fd_, MSG_DONTWAIT, ignored);
}

}  // namespace caunoi::testing
