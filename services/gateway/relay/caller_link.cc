#include "services/gateway/relay/caller_link.h"

#include <unistd.h>

#include <vector>

#include "absl/strings/string_view.h"
#include "services/gateway/relay/exchange.h"
#include "services/gateway/relay/relay_loop.h"
#include "services/gateway/relay/tls_context.h"
#include "services/gateway/relay/upstream_link.h"

namespace caunoi::gateway::relay {
namespace {

bool IsRequestHeaders(const nghttp2_frame* frame) {
  return frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST;
}

}  // namespace

const nghttp2_session_callbacks* CallerLink::Callbacks() {
  static const nghttp2_session_callbacks* const callbacks = [] {
    nghttp2_session_callbacks* made = nullptr;
    nghttp2_session_callbacks_new(&made);
    nghttp2_session_callbacks_set_on_begin_headers_callback(made, &CallerLink::OnBeginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(made, &CallerLink::OnHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(made, &CallerLink::OnFrame);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(made, &CallerLink::OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(made, &CallerLink::OnStreamClose);
    return made;
  }();
  return callbacks;
}

void CallerLink::Accept(RelayLoop& loop, int fd, std::string peer) {
  SSL* tls = nullptr;
  if (loop.serve_tls() != nullptr) {
    tls = loop.serve_tls()->NewConnection("");
    if (tls == nullptr) {
      close(fd);
      loop.CallerLeft();
      return;
    }
  }
  auto* link = new CallerLink(loop, fd, std::move(peer));
  nghttp2_session* session = nullptr;
  nghttp2_session_server_new2(&session, Callbacks(), link, loop.session_options());
  const RelaySettings& settings = loop.settings();
  const nghttp2_settings_entry entries[] = {
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, settings.stream_window}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, entries, 1);
  nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0,
                                        static_cast<int32_t>(settings.connection_window));
  loop.Own(link);
  loop.CallerAwaited(+1);
  link->Start(session, tls);
}

void CallerLink::AskToLeave() {
  if (leaving_ != Leaving::kStaying) return;
  leaving_ = Leaving::kNoticed;
  nghttp2_submit_shutdown_notice(session());
  Touch();
}

void CallerLink::FinishLeaving() {
  if (leaving_ != Leaving::kNoticed) return;
  leaving_ = Leaving::kTold;
  nghttp2_submit_goaway(session(), NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(session()), NGHTTP2_NO_ERROR,
                        nullptr, 0);
  Touch();
}

void CallerLink::OnClose() {
  if (!greeted_) loop_.CallerAwaited(-1);
  loop_.CallerLeft();
  std::vector<Exchange*> in_flight(exchanges_.begin(), exchanges_.end());
  exchanges_.clear();
  for (Exchange* exchange : in_flight) exchange->CallerLinkGone();
}

void CallerLink::Route(Exchange& exchange) {
  relay::Route route = loop_.router()(exchange.path, peer_, std::move(exchange.request_headers));
  exchange.set_on_end(std::move(route.on_end));
  exchange.set_resendable(route.resendable);
  if (route.answer.has_value()) {
    exchange.Answer(*route.answer);
    return;
  }
  if (route.answer_if_no_request) {
    exchange.deferred = Exchange::Deferred{route.upstream, std::move(route.headers),
                                           std::move(route.answer_if_no_request)};
    return;
  }
  exchange.OpenUpstream(route.upstream, std::move(route.headers));
}

int CallerLink::OnBeginHeaders(nghttp2_session* session, const nghttp2_frame* frame,
                               void* user_data) {
  if (!IsRequestHeaders(frame)) return 0;
  auto* link = static_cast<CallerLink*>(user_data);
  auto* exchange = new Exchange(link, frame->hd.stream_id, link->loop_.calls_in_flight());
  link->Adopt(exchange);
  nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, exchange);
  return 0;
}

int CallerLink::OnHeader(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                         size_t name_length, const uint8_t* value, size_t value_length,
                         uint8_t /*flags*/, void* /*user_data*/) {
  if (!IsRequestHeaders(frame)) return 0;  // a request's trailers carry nothing gRPC uses
  Exchange* exchange = ExchangeOf(session, frame->hd.stream_id);
  if (exchange == nullptr) return 0;
  const absl::string_view key = BytesView(name, name_length);
  const absl::string_view text = BytesView(value, value_length);
  if (key == ":path") {
    exchange->path = std::string(text);
  } else if (key == ":authority") {
    exchange->authority = std::string(text);
  } else if (key == ":method") {
    exchange->method = std::string(text);
  } else if (!key.empty() && key[0] != ':') {
    exchange->request_headers.push_back({std::string(key), std::string(text)});
  }
  return 0;
}

int CallerLink::OnFrame(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
  auto* link = static_cast<CallerLink*>(user_data);
  if (!link->greeted_) {
    link->greeted_ = true;
    link->loop_.CallerAwaited(-1);
  }
  if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
  Exchange* exchange = ExchangeOf(session, frame->hd.stream_id);
  if (exchange == nullptr) return 0;
  if (IsRequestHeaders(frame)) link->Route(*exchange);
  if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
    if (exchange->deferred.has_value()) {
      exchange->Answer(exchange->deferred->if_no_request());
      exchange->deferred.reset();
    }
    exchange->RequestEnded();
  }
  return 0;
}

int CallerLink::OnData(nghttp2_session* session, uint8_t /*flags*/, int32_t stream_id,
                       const uint8_t* data, size_t length, void* /*user_data*/) {
  Exchange* exchange = ExchangeOf(session, stream_id);
  if (exchange == nullptr) {
    nghttp2_session_consume(session, stream_id, length);
    return 0;
  }
  if (exchange->deferred.has_value()) {
    Exchange::Deferred deferred = *std::move(exchange->deferred);
    exchange->deferred.reset();
    exchange->OpenUpstream(deferred.upstream, std::move(deferred.headers));
  }
  exchange->RequestBytes(data, length);
  return 0;
}

int CallerLink::OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t /*error_code*/,
                              void* /*user_data*/) {
  if (Exchange* exchange = ExchangeOf(session, stream_id)) {
    nghttp2_session_set_stream_user_data(session, stream_id, nullptr);
    exchange->CallerClosed();
  }
  return 0;
}

}  // namespace caunoi::gateway::relay
