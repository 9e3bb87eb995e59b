#include "services/gateway/relay/http2_link.h"

#include <errno.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/logging/log.h"
#include "services/gateway/relay/relay_loop.h"
#include "services/gateway/relay/tls_context.h"

namespace caunoi::gateway::relay {
namespace {

// How much a link gathers from its session before writing: enough for a
// turn's frames, small enough not to hold a slow caller's bytes long.
constexpr size_t kGatherBytes = 64 * 1024;
// How much one readable event reads before others get their turn.
constexpr size_t kReadPerEvent = 256 * 1024;

}  // namespace

Http2Link::Http2Link(RelayLoop& loop, int fd, bool connecting)
    : loop_(loop), fd_(fd), connecting_(connecting), writable_(!connecting) {}

Http2Link::~Http2Link() {
  if (session_ != nullptr) nghttp2_session_del(session_);
  SSL_free(tls_);
  close(fd_);
}

void Http2Link::Start(nghttp2_session* session, SSL* tls) {
  session_ = session;
  if (tls != nullptr) {
    tls_ = tls;
    tls_in_ = BIO_new(BIO_s_mem());
    tls_out_ = BIO_new(BIO_s_mem());
    // An empty input is "more to come", not the end of the connection.
    BIO_set_mem_eof_return(tls_in_, -1);
    SSL_set_bio(tls_, tls_in_, tls_out_);
  }
  // Reads are level-triggered; writes are asked for only while bytes wait
  // (or the connect is under way).
  write_events_ = connecting_;
  loop_.Watch(fd_, this, EPOLLIN | (connecting_ ? EPOLLOUT : 0u));
  Touch();
}

void Http2Link::OnEvents(uint32_t events) {
  if (closed_) return;
  if (events & EPOLLOUT) {
    if (connecting_) {
      int error = 0;
      socklen_t length = sizeof(error);
      if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
        Close();
        return;
      }
      connecting_ = false;
    }
    writable_ = true;
    Touch();
  }
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) Read();
}

void Http2Link::Read() {
  uint8_t buffer[64 * 1024];
  size_t total = 0;
  while (total < kReadPerEvent) {
    const ssize_t got = recv(fd_, buffer, sizeof(buffer), 0);
    if (got > 0) {
      total += static_cast<size_t>(got);
      if (!Receive(buffer, static_cast<size_t>(got))) {
        Close();
        return;
      }
      if (closed_) return;
      // A short read emptied the socket: epoll says when more arrives,
      // without another recv to hear EAGAIN.
      if (static_cast<size_t>(got) < sizeof(buffer)) break;
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    Close();  // the peer closed, or the connection failed
    return;
  }
  Touch();
}

bool Http2Link::Receive(const uint8_t* data, size_t length) {
  if (tls_ == nullptr) return nghttp2_session_mem_recv(session_, data, length) >= 0;
  BIO_write(tls_in_, data, static_cast<int>(length));
  if (!Handshake()) return false;
  if (!SSL_is_init_finished(tls_)) return true;
  uint8_t plain[16 * 1024];
  for (;;) {
    const int got = SSL_read(tls_, plain, sizeof(plain));
    if (got > 0) {
      if (nghttp2_session_mem_recv(session_, plain, static_cast<size_t>(got)) < 0) return false;
      if (closed_) return true;
      continue;
    }
    const int error = SSL_get_error(tls_, got);
    ERR_clear_error();
    // Anything else: the peer ended TLS, or its records are not TLS.
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
  }
}

bool Http2Link::Handshake() {
  if (SSL_is_init_finished(tls_)) return true;
  const int done = SSL_do_handshake(tls_);
  if (done == 1) return true;
  const int error = SSL_get_error(tls_, done);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return true;
  // An upstream's failure is the operator's to see (a certificate not for
  // its name, an unknown CA); a caller's is the caller's (plaintext, a
  // scanner).
  if (!is_caller()) log::Warning("gateway.relay_tls_failed", {{"error", TlsError()}});
  ERR_clear_error();
  return false;
}

bool Http2Link::DrainTls() {
  // A client's hello is made here, before anything was read.
  if (!Handshake()) return false;
  char* pending = nullptr;
  const long length = BIO_get_mem_data(tls_out_, &pending);
  if (length > 0) {
    out_.append(pending, static_cast<size_t>(length));
    (void)BIO_reset(tls_out_);
  }
  return true;
}

void Http2Link::Touch() {
  if (closed_ || touched_) return;
  touched_ = true;
  loop_.Touched(this);
}

void Http2Link::Flush() {
  touched_ = false;
  if (closed_ || connecting_) return;
  while (writable_) {
    while (out_.size() - out_offset_ < kGatherBytes) {
      if (tls_ != nullptr) {
        if (!DrainTls()) {
          Close();
          return;
        }
        if (!SSL_is_init_finished(tls_)) break;  // the session waits for the handshake
      }
      const uint8_t* data = nullptr;
      const ssize_t produced = nghttp2_session_mem_send(session_, &data);
      if (produced < 0) {
        Close();
        return;
      }
      if (produced == 0) break;
      if (tls_ == nullptr) {
        out_.append(reinterpret_cast<const char*>(data), static_cast<size_t>(produced));
      } else if (SSL_write(tls_, data, static_cast<int>(produced)) != produced) {
        ERR_clear_error();
        Close();
        return;
      }
    }
    if (tls_ != nullptr && !DrainTls()) {
      Close();
      return;
    }
    if (out_offset_ == out_.size()) break;
    const ssize_t sent =
        send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        writable_ = false;
        break;
      }
      Close();
      return;
    }
    out_offset_ += static_cast<size_t>(sent);
    if (out_offset_ == out_.size()) {
      out_.clear();
      out_offset_ = 0;
    }
  }
  WantWriteEvents(!writable_);
  if (out_.empty() && !nghttp2_session_want_read(session_) &&
      !nghttp2_session_want_write(session_)) {
    Close();  // both sides said goodbye
  }
}

void Http2Link::WantWriteEvents(bool want) {
  if (want == write_events_) return;
  write_events_ = want;
  loop_.Rewatch(fd_, this, EPOLLIN | (want ? EPOLLOUT : 0u));
}

void Http2Link::Close() {
  if (closed_) return;
  closed_ = true;
  OnClose();
  loop_.Unwatch(fd_);
  loop_.Retire(this);
}

}  // namespace caunoi::gateway::relay
