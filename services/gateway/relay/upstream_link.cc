#include "services/gateway/relay/upstream_link.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "services/gateway/relay/exchange.h"
#include "services/gateway/relay/relay_loop.h"

namespace caunoi::gateway::relay {
namespace {

// A non-blocking socket connecting to `address`; -1 when the connect
// cannot begin. `connecting` says whether it is still under way.
int ConnectTo(const SocketAddress& address, bool& connecting) {
  const int fd = socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (connect(fd, address.get(), address.length) == 0) {
    connecting = false;
  } else if (errno == EINPROGRESS) {
    connecting = true;
  } else {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

const nghttp2_session_callbacks* UpstreamLink::Callbacks() {
  static const nghttp2_session_callbacks* const callbacks = [] {
    nghttp2_session_callbacks* made = nullptr;
    nghttp2_session_callbacks_new(&made);
    nghttp2_session_callbacks_set_on_header_callback(made, &UpstreamLink::OnHeader);
    nghttp2_session_callbacks_set_on_frame_recv_callback(made, &UpstreamLink::OnFrame);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(made, &UpstreamLink::OnData);
    nghttp2_session_callbacks_set_on_stream_close_callback(made, &UpstreamLink::OnStreamClose);
    return made;
  }();
  return callbacks;
}

UpstreamLink* UpstreamLink::Connect(RelayLoop& loop, const SocketAddress& address, TlsContext* tls,
                                    absl::string_view peer_name) {
  SSL* connection = nullptr;
  if (tls != nullptr) {
    connection = tls->NewConnection(peer_name);
    if (connection == nullptr) return nullptr;
  }
  bool connecting = false;
  const int fd = ConnectTo(address, connecting);
  if (fd < 0) {
    SSL_free(connection);
    return nullptr;
  }
  auto* link = new UpstreamLink(loop, fd, connecting, tls != nullptr);
  nghttp2_session* session = nullptr;
  nghttp2_session_client_new2(&session, Callbacks(), link, loop.session_options());
  const RelaySettings& settings = loop.settings();
  const nghttp2_settings_entry entries[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, settings.stream_window}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, entries, 2);
  // Every caller's calls share this connection: a window for the whole of
  // it would let a few callers that stop reading stall everyone's answers.
  // Each stream's own window bounds what the relay holds for its caller.
  nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, NGHTTP2_MAX_WINDOW_SIZE);
  loop.Own(link);
  link->Start(session, connection);
  return link;
}

bool UpstreamLink::TakesCalls() const {
  return !closed() && !refused_ && nghttp2_session_check_request_allowed(session()) != 0;
}

bool UpstreamLink::Open(Exchange& exchange, const Headers& headers) {
  Headers fields = {{":method", exchange.method.empty() ? "POST" : exchange.method},
                    {":scheme", scheme_},
                    {":authority", exchange.authority},
                    {":path", exchange.path}};
  fields.insert(fields.end(), headers.begin(), headers.end());
  const std::vector<nghttp2_nv> nv = FieldsOf(fields);
  nghttp2_data_provider source = Exchange::Source(&exchange);
  const int32_t stream_id =
      nghttp2_submit_request(session(), nullptr, nv.data(), nv.size(), &source, &exchange);
  if (stream_id < 0) {
    refused_ = true;
    return false;
  }
  exchange.Opened(this, stream_id);
  return true;
}

void UpstreamLink::OnClose() {
  // A connection that never came up sent nothing: its calls go to
  // another replica, and this one is held back before it is tried again.
  const bool connected = reached();
  loop_.UpstreamClosing(this, connected);
  std::vector<Exchange*> in_flight(exchanges_.begin(), exchanges_.end());
  exchanges_.clear();
  for (Exchange* exchange : in_flight) {
    if (connected) {
      exchange->UpstreamLinkGone();
    } else {
      exchange->UpstreamNeverReached();
    }
  }
}

int UpstreamLink::OnHeader(nghttp2_session* session, const nghttp2_frame* frame,
                           const uint8_t* name, size_t name_length, const uint8_t* value,
                           size_t value_length, uint8_t /*flags*/, void* /*user_data*/) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  Exchange* exchange = ExchangeOf(session, frame->hd.stream_id);
  if (exchange == nullptr) return 0;
  exchange->ResponseHeader(frame->headers.cat == NGHTTP2_HCAT_HEADERS, BytesView(name, name_length),
                           BytesView(value, value_length));
  return 0;
}

int UpstreamLink::OnFrame(nghttp2_session* session, const nghttp2_frame* frame,
                          void* /*user_data*/) {
  if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
  Exchange* exchange = ExchangeOf(session, frame->hd.stream_id);
  if (exchange == nullptr) return 0;
  const bool ends_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_RESPONSE) {
    exchange->ResponseHeadersDone(ends_stream);
  } else if (ends_stream) {
    exchange->ResponseEnded();
  }
  return 0;
}

int UpstreamLink::OnData(nghttp2_session* session, uint8_t /*flags*/, int32_t stream_id,
                         const uint8_t* data, size_t length, void* /*user_data*/) {
  Exchange* exchange = ExchangeOf(session, stream_id);
  if (exchange == nullptr) {
    nghttp2_session_consume(session, stream_id, length);
    return 0;
  }
  exchange->ResponseBytes(data, length);
  return 0;
}

int UpstreamLink::OnStreamClose(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                                void* /*user_data*/) {
  if (Exchange* exchange = ExchangeOf(session, stream_id)) {
    nghttp2_session_set_stream_user_data(session, stream_id, nullptr);
    if (error_code == NGHTTP2_REFUSED_STREAM) {
      exchange->UpstreamRefused();
    } else {
      exchange->UpstreamClosed();
    }
  }
  return 0;
}

}  // namespace caunoi::gateway::relay
