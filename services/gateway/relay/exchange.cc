#include "services/gateway/relay/exchange.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/relay/http2_link.h"
#include "services/gateway/relay/relay_loop.h"
#include "services/gateway/relay/upstream_link.h"

namespace caunoi::gateway::relay {
namespace {

// A call is opened at most this often in all, as the gateway's gRPC
// channels make at most four attempts: a service that turns every call
// away, or whose replicas do not answer, is answered UNAVAILABLE, not
// retried forever.
constexpr int kMostOpens = 4;

// grpc-message is percent-encoded: bytes outside printable ASCII, and '%'.
std::string PercentEncoded(absl::string_view message) {
  std::string encoded;
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7e || c == '%') {
      absl::StrAppend(&encoded, "%", absl::Hex(byte, absl::kZeroPad2));
    } else {
      encoded.push_back(c);
    }
  }
  return encoded;
}

}  // namespace

size_t Pipe::HandOn(size_t length) {
  offset += length;
  const size_t fresh = offset > credited ? offset - credited : 0;
  credited += fresh;
  if (kept && bytes.size() > kKeptBytes) StopKeeping();
  if (!kept && offset == bytes.size()) {
    bytes.clear();
    offset = 0;
    credited = 0;
  }
  return fresh;
}

void Pipe::StopKeeping() {
  kept = false;
  bytes.erase(0, offset);
  credited -= offset;
  offset = 0;
}

std::vector<nghttp2_nv> FieldsOf(const Headers& headers) {
  std::vector<nghttp2_nv> fields;
  fields.reserve(headers.size());
  for (const Header& header : headers) {
    fields.push_back({const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(header.name.data())),
                      const_cast<uint8_t*>(reinterpret_cast<const uint8_t*>(header.value.data())),
                      header.name.size(), header.value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  return fields;
}

Exchange::~Exchange() {
  if (caller_ != nullptr) caller_->Forget(this);
  if (upstream_ != nullptr) upstream_->Forget(this);
  if (on_end_) on_end_(end_);
  in_flight_.fetch_sub(1, std::memory_order_release);
}

void Exchange::DeleteIfDone() {
  if (!caller_open_ && !upstream_open_) {
    Drop(request, caller_, caller_stream_);
    Drop(response, upstream_, upstream_stream_);
    delete this;
  }
}

void Exchange::OpenUpstream(size_t upstream, Headers headers) {
  upstream_index_ = upstream;
  upstream_headers_ = std::move(headers);
  Open();
}

void Exchange::Open() {
  ++opens_;
  UpstreamLink* link = caller_->loop().UpstreamFor(upstream_index_);
  if (link == nullptr || !link->Open(*this, upstream_headers_)) {
    Answer({kGrpcUnavailable, "the service cannot be reached", ""});
  }
}

void Exchange::Opened(Http2Link* upstream, int32_t upstream_stream) {
  upstream_ = upstream;
  upstream_stream_ = upstream_stream;
  upstream_open_ = true;
  upstream->Adopt(this);
  upstream->Touch();
}

void Exchange::Answer(const relay::Answer& answer) {
  end_.grpc_status = answer.grpc_status;
  response.ended = true;
  if (!caller_open_ || response_started_) return;
  response_started_ = true;
  Headers fields = {{":status", "200"},
                    {"content-type", "application/grpc"},
                    {"grpc-status", absl::StrCat(answer.grpc_status)}};
  if (!answer.message.empty()) {
    fields.push_back({"grpc-message", PercentEncoded(answer.message)});
  }
  if (!answer.details.empty()) {
    fields.push_back({"grpc-status-details-bin", absl::Base64Escape(answer.details)});
  }
  const std::vector<nghttp2_nv> nv = FieldsOf(fields);
  nghttp2_submit_response(caller_->session(), caller_stream_, nv.data(), nv.size(), nullptr);
  caller_->Touch();
}

void Exchange::RequestBytes(const uint8_t* data, size_t length) {
  end_.request_bytes += length;
  request.bytes.append(reinterpret_cast<const char*>(data), length);
  if (upstream_open_) {
    Resume(request, upstream_, upstream_stream_);
  } else {
    Drop(request, caller_, caller_stream_);  // answered already: nowhere to go
  }
}

void Exchange::RequestEnded() {
  request.ended = true;
  if (upstream_open_) Resume(request, upstream_, upstream_stream_);
}

void Exchange::CallerClosed() {
  caller_open_ = false;
  if (!response.ended) {
    end_.grpc_status = kGrpcCancelled;  // the caller left before its answer
    if (upstream_open_) {
      nghttp2_submit_rst_stream(upstream_->session(), NGHTTP2_FLAG_NONE, upstream_stream_,
                                NGHTTP2_CANCEL);
      upstream_->Touch();
    }
  }
  Drop(response, upstream_, upstream_stream_);  // the caller will read no more
  DeleteIfDone();
}

void Exchange::CallerLinkGone() {
  caller_ = nullptr;
  if (caller_open_) {
    CallerClosed();
  } else {
    DeleteIfDone();
  }
}

void Exchange::ResponseHeader(bool trailer, absl::string_view name, absl::string_view value) {
  if (name == "grpc-status") (void)absl::SimpleAtoi(value, &end_.grpc_status);
  (trailer ? trailers_ : response_headers_).push_back({std::string(name), std::string(value)});
}

void Exchange::ResponseHeadersDone(bool ends_stream) {
  // UNAVAILABLE and nothing else: this replica could not serve the call,
  // another may.
  if (ends_stream && resendable_ && end_.grpc_status == kGrpcUnavailable && SendAgain()) return;
  if (request.kept) request.StopKeeping();  // the upstream took the call
  if (ends_stream) response.ended = true;
  if (!caller_open_ || response_started_) return;
  response_started_ = true;
  const std::vector<nghttp2_nv> nv = FieldsOf(response_headers_);
  nghttp2_data_provider source = Source(this);
  nghttp2_submit_response(caller_->session(), caller_stream_, nv.data(), nv.size(),
                          ends_stream ? nullptr : &source);
  caller_->Touch();
}

void Exchange::ResponseBytes(const uint8_t* data, size_t length) {
  end_.response_bytes += length;
  response.bytes.append(reinterpret_cast<const char*>(data), length);
  if (caller_open_) {
    Resume(response, caller_, caller_stream_);
  } else {
    Drop(response, upstream_, upstream_stream_);
  }
}

void Exchange::ResponseEnded() {
  response.ended = true;
  if (caller_open_) Resume(response, caller_, caller_stream_);
}

void Exchange::UpstreamClosed() {
  if (!response.ended && resendable_ && SendAgain()) return;
  upstream_open_ = false;
  if (!response.ended) UpstreamFailed();
  DeleteIfDone();
}

bool Exchange::SendAgain() {
  // Kept until the answer's headers are done, so a call that has begun
  // its answer (or lost part of its request) is not sent again.
  if (!caller_open_ || !request.kept || response_started_ || opens_ >= kMostOpens) return false;
  if (upstream_ != nullptr) {
    // The stream left behind must not reach this call again.
    nghttp2_session_set_stream_user_data(upstream_->session(), upstream_stream_, nullptr);
    upstream_->Forget(this);
  }
  upstream_ = nullptr;
  upstream_stream_ = 0;
  upstream_open_ = false;
  response_headers_.clear();
  end_.grpc_status = kGrpcUnknown;
  request.offset = 0;  // every byte is still here, and none was taken
  request.waiting = false;
  Open();
  return true;
}

void Exchange::UpstreamRefused() {
  if (!SendAgain()) UpstreamClosed();
}

void Exchange::UpstreamNeverReached() {
  upstream_ = nullptr;  // its link is closing
  if (SendAgain()) return;
  upstream_open_ = false;
  Drop(request, caller_, caller_stream_);
  if (caller_open_) Answer({kGrpcUnavailable, "the service cannot be reached", ""});
  DeleteIfDone();
}

void Exchange::UpstreamLinkGone() {
  upstream_ = nullptr;
  if (upstream_open_) {
    UpstreamClosed();
  } else {
    DeleteIfDone();
  }
}

// The upstream ended the call without answering it fully: the caller
// hears UNAVAILABLE, as from a connection that failed, or a reset stream
// when part of the answer has already gone to it.
void Exchange::UpstreamFailed() {
  Drop(request, caller_, caller_stream_);
  if (!caller_open_) return;
  if (!response_started_) {
    Answer({kGrpcUnavailable, "the service ended the call before answering", ""});
    return;
  }
  end_.grpc_status = kGrpcUnavailable;
  nghttp2_submit_rst_stream(caller_->session(), NGHTTP2_FLAG_NONE, caller_stream_,
                            NGHTTP2_INTERNAL_ERROR);
  caller_->Touch();
}

void Exchange::Drop(Pipe& pipe, Http2Link* sender, int32_t sender_stream) {
  const size_t dropped = pipe.bytes.size() - pipe.credited;
  pipe.bytes.clear();
  pipe.offset = 0;
  pipe.credited = 0;
  if (dropped > 0 && sender != nullptr && !sender->closed()) {
    nghttp2_session_consume(sender->session(), sender_stream, dropped);
    sender->Touch();
  }
}

void Exchange::Resume(Pipe& pipe, Http2Link* receiver, int32_t receiver_stream) {
  if (!pipe.waiting || receiver == nullptr || receiver->closed()) return;
  pipe.waiting = false;
  nghttp2_session_resume_data(receiver->session(), receiver_stream);
  receiver->Touch();
}

nghttp2_data_provider Exchange::Source(Exchange* exchange) {
  nghttp2_data_provider provider;
  provider.source.ptr = exchange;
  provider.read_callback = &Exchange::ReadPipe;
  return provider;
}

ssize_t Exchange::ReadPipe(nghttp2_session* session, int32_t stream_id, uint8_t* buffer,
                           size_t length, uint32_t* flags, nghttp2_data_source* source,
                           void* /*user_data*/) {
  auto* exchange = static_cast<Exchange*>(source->ptr);
  const bool upward = exchange->upstream_ != nullptr && session == exchange->upstream_->session();
  Pipe& pipe = upward ? exchange->request : exchange->response;
  Http2Link* sender = upward ? exchange->caller_ : exchange->upstream_;
  const int32_t sender_stream = upward ? exchange->caller_stream_ : exchange->upstream_stream_;
  const size_t taken = std::min(length, pipe.Available());
  if (taken > 0) {
    std::memcpy(buffer, pipe.bytes.data() + pipe.offset, taken);
    const size_t fresh = pipe.HandOn(taken);
    if (fresh > 0 && sender != nullptr && !sender->closed()) {
      nghttp2_session_consume(sender->session(), sender_stream, fresh);
      sender->Touch();
    }
  }
  if (pipe.Available() == 0) {
    if (pipe.ended) {
      *flags |= NGHTTP2_DATA_FLAG_EOF;
      if (!upward && !exchange->trailers_.empty()) {
        *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
        const std::vector<nghttp2_nv> nv = FieldsOf(exchange->trailers_);
        nghttp2_submit_trailer(session, stream_id, nv.data(), nv.size());
      }
    } else if (taken == 0) {
      pipe.waiting = true;
      return NGHTTP2_ERR_DEFERRED;
    }
  }
  return static_cast<ssize_t>(taken);
}

}  // namespace caunoi::gateway::relay
