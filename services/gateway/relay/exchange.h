#ifndef CAUNOI_SERVICES_GATEWAY_RELAY_EXCHANGE_H_
#define CAUNOI_SERVICES_GATEWAY_RELAY_EXCHANGE_H_

#include <nghttp2/nghttp2.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "services/gateway/relay/relay_route.h"

namespace caunoi::gateway::relay {

class Http2Link;

// Bytes on their way through the relay in one direction. Every byte
// appended is given back to its sender's flow-control window exactly once:
// when it is first handed on, or when it is dropped. So a reader slower
// than its writer holds the writer back, and the relay never holds more
// than the windows it grants (and, for a request, its first kKeptBytes).
struct Pipe {
  // How much of a request is kept after it was handed on, so that a call
  // the upstream refused can be sent again on another connection.
  static constexpr size_t kKeptBytes = 64 * 1024;

  std::string bytes;
  size_t offset = 0;     // bytes before it were handed on
  size_t credited = 0;   // bytes before it were given back to the sender
  bool ended = false;    // no more bytes will come
  bool waiting = false;  // the receiving side's data source is deferred
  bool kept = false;     // bytes handed on stay, from the first, to be sent again

  size_t Available() const { return bytes.size() - offset; }
  // Hands on `length` bytes; returns how many of them the sender's window
  // has not had back yet.
  size_t HandOn(size_t length);
  // Lets go of the bytes handed on, and of those to come once handed on.
  void StopKeeping();
};

// One call relayed: the caller's stream on a caller's link and, once
// routed, a stream on an upstream link. It lives until both streams have
// closed (or their links have), then reports how the call ended.
class Exchange {
 public:
  // `in_flight` counts the loop's calls until each has ended.
  Exchange(Http2Link* caller, int32_t caller_stream, std::atomic<int>& in_flight)
      : caller_(caller), caller_stream_(caller_stream), in_flight_(in_flight) {
    in_flight_.fetch_add(1, std::memory_order_relaxed);
    request.kept = true;
  }
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // The request's pseudo-headers and headers, as the caller sent them.
  std::string method, path, authority;
  Headers request_headers;
  Pipe request;   // caller → upstream
  Pipe response;  // upstream → caller

  // A route waiting for the request's first bytes.
  struct Deferred {
    size_t upstream;
    Headers headers;
    absl::AnyInvocable<relay::Answer()> if_no_request;
  };
  std::optional<Deferred> deferred;

  void set_on_end(absl::AnyInvocable<void(const CallEnd& end)> on_end) {
    on_end_ = std::move(on_end);
  }
  // See Route::resendable.
  void set_resendable(bool resendable) { resendable_ = resendable; }

  // Opens the call on the loop's connection to a replica of upstream
  // `upstream`, with `headers` after the pseudo-headers; answers
  // UNAVAILABLE when it cannot.
  void OpenUpstream(size_t upstream, Headers headers);
  // The upstream stream carrying the call.
  void Opened(Http2Link* upstream, int32_t upstream_stream);
  // Answers the caller with trailers only; nothing more is relayed to it.
  void Answer(const relay::Answer& answer);

  // From the caller's side.
  void RequestBytes(const uint8_t* data, size_t length);
  void RequestEnded();
  void CallerClosed();
  void CallerLinkGone();

  // From the upstream's side.
  void ResponseHeader(bool trailer, absl::string_view name, absl::string_view value);
  void ResponseHeadersDone(bool ends_stream);
  void ResponseBytes(const uint8_t* data, size_t length);
  void ResponseEnded();
  void UpstreamClosed();
  // The upstream did not take the call (REFUSED_STREAM: a stream it was
  // sent after the connection's GOAWAY, or one it turned away): it goes
  // again on a new connection while the whole request is still kept.
  void UpstreamRefused();
  void UpstreamLinkGone();
  // The upstream's connection closed before it ever connected: nothing
  // was sent, so the call goes to another replica.
  void UpstreamNeverReached();

  // The data source that sends a pipe's bytes on `session`'s stream.
  static nghttp2_data_provider Source(Exchange* exchange);

 private:
  ~Exchange();
  void Open();
  // Opens the call again on a new connection (of another replica, if it
  // has several) when the caller still waits, the whole request is still
  // kept and no answer has gone to the caller. False when it cannot.
  bool SendAgain();
  void DeleteIfDone();
  void UpstreamFailed();
  void Drop(Pipe& pipe, Http2Link* sender, int32_t sender_stream);
  void Resume(Pipe& pipe, Http2Link* receiver, int32_t receiver_stream);
  static ssize_t ReadPipe(nghttp2_session* session, int32_t stream_id, uint8_t* buffer,
                          size_t length, uint32_t* flags, nghttp2_data_source* source,
                          void* user_data);

  Http2Link* caller_;
  const int32_t caller_stream_;
  std::atomic<int>& in_flight_;
  Http2Link* upstream_ = nullptr;
  int32_t upstream_stream_ = 0;
  size_t upstream_index_ = 0;
  Headers upstream_headers_;
  int opens_ = 0;  // how many times the call was opened upstream
  bool caller_open_ = true;
  bool upstream_open_ = false;
  bool response_started_ = false;
  bool resendable_ = false;
  Headers response_headers_;
  Headers trailers_;
  CallEnd end_;  // its status is UNKNOWN until the call says otherwise
  absl::AnyInvocable<void(const CallEnd& end)> on_end_;
};

// The call a stream of `session` carries, if any.
inline Exchange* ExchangeOf(nghttp2_session* session, int32_t stream_id) {
  return static_cast<Exchange*>(nghttp2_session_get_stream_user_data(session, stream_id));
}

inline absl::string_view BytesView(const uint8_t* data, size_t length) {
  return {reinterpret_cast<const char*>(data), length};
}

// Sends `headers` as one HEADERS frame's fields.
std::vector<nghttp2_nv> FieldsOf(const Headers& headers);

}  // namespace caunoi::gateway::relay

#endif  // CAUNOI_SERVICES_GATEWAY_RELAY_EXCHANGE_H_
