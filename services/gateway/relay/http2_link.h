#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_HTTP2_LINK_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_HTTP2_LINK_H_

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"

namespace caunoi::gateway::relay {

class Exchange;
class RelayLoop;

// Something the loop's epoll set reports on.
class Watched {
 public:
  virtual ~Watched() = default;
  virtual void OnEvents(uint32_t events) = 0;
};

// One HTTP/2 connection of the relay, to a caller or to an upstream:
// bytes read are fed to its nghttp2 session, and what the session has to
// send is gathered and written in as few writes as the socket takes. The
// loop flushes each link touched once per turn, so the frames a turn
// produces for one connection leave together. Over TLS, the socket's bytes
// pass through the link's TLS in memory on their way, and the session
// sends nothing before the handshake is done.
class Http2Link : public Watched {
 public:
  Http2Link(const Http2Link&) = delete;
  Http2Link& operator=(const Http2Link&) = delete;
  ~Http2Link() override;

  nghttp2_session* session() const { return session_; }
  RelayLoop& loop() const { return loop_; }
  // A caller's connection, as opposed to one to an upstream.
  virtual bool is_caller() const = 0;
  bool closed() const { return closed_; }

  void OnEvents(uint32_t events) override;
  // Asks the loop to flush this link at the end of its turn.
  void Touch();
  // Writes what the session has to send, as far as the socket takes it.
  void Flush();
  // Ends the connection: what is in flight on it fails, the socket closes
  // and the loop deletes the link at the end of its turn. Idempotent.
  void Close();

  // The calls with a stream on this link, told when it closes.
  void Adopt(Exchange* exchange) { exchanges_.insert(exchange); }
  void Forget(Exchange* exchange) { exchanges_.erase(exchange); }
  bool idle() const { return exchanges_.empty(); }
  size_t calls_under_way() const { return exchanges_.size(); }

 protected:
  // `connecting`: a non-blocking connect is under way; nothing is written
  // until the socket says it is writable.
  Http2Link(RelayLoop& loop, int fd, bool connecting);
  // Once the subclass has made its session: registers the socket. With
  // `tls` (owned from now on), the connection speaks TLS.
  void Start(nghttp2_session* session, SSL* tls = nullptr);
  // Fails every call in flight on this link; called once, from Close.
  virtual void OnClose() = 0;
  // The connection came up: connected and, over TLS, the handshake done.
  // Until then nothing of any call was sent.
  bool reached() const { return !connecting_ && (tls_ == nullptr || SSL_is_init_finished(tls_)); }

  RelayLoop& loop_;
  absl::flat_hash_set<Exchange*> exchanges_;

 private:
  void Read();
  // Feeds bytes read to the session, through TLS when the link has it;
  // false when the connection must close.
  bool Receive(const uint8_t* data, size_t length);
  // Over TLS: carries the handshake on as far as the bytes at hand allow;
  // false when it failed.
  bool Handshake();
  // Over TLS: moves what TLS has to send into out_; false on a failed
  // handshake.
  bool DrainTls();
  void WantWriteEvents(bool want);

  const int fd_;
  nghttp2_session* session_ = nullptr;
  SSL* tls_ = nullptr;
  BIO* tls_in_ = nullptr;   // owned by tls_
  BIO* tls_out_ = nullptr;  // owned by tls_
  bool connecting_;
  bool writable_;
  bool write_events_ = false;
  bool touched_ = false;
  bool closed_ = false;
  std::string out_;
  size_t out_offset_ = 0;
};

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_HTTP2_LINK_H_
