// The frame relay between real gRPC clients and a real gRPC server over
// loopback: what a call carries arrives whole both ways, flow control
// holds with windows far smaller than the messages, and a call ended on
// one side ends on the other.
#include "services/gateway/relay/frame_relay.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "services/gateway/relay/thread_cpu.h"
#include "tests/support/certificates.h"
#include "tests/support/private_hosts.h"
#include "tests/support/raw_connection.h"
#include "tests/support/subprocess.h"

namespace caunoi::gateway::relay {
namespace {

using ::caunoi::testing::IsOk;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Eq;

// Busy on this thread's CPU, not the clock's: a relay loop's busy share
// counts what its thread ran, however crowded the machine.
void BurnThisThreadsCpu(absl::Duration cpu) {
  const absl::Duration until = ThisThreadsCpu() + cpu;
  while (ThisThreadsCpu() < until) {
  }
}

grpc::ByteBuffer BufferOf(const std::string& text) {
  grpc::Slice slice(text);
  return grpc::ByteBuffer(&slice, 1);
}

std::string TextOf(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string text;
  for (const grpc::Slice& slice : slices) {
    text.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return text;
}

// The `index`-th message of a stream: its number, then filler.
std::string StreamMessage(int index, size_t size) {
  std::string message = absl::StrCat(index, ":");
  message.resize(std::max(size, message.size()), static_cast<char>('a' + index % 26));
  return message;
}

// The upstream: a generic gRPC server whose methods are
//   Echo    one message back, the caller's x-probe and x-probe-bin headers
//           as echo and echo-bin, a trailer x-trailer: done (WriteEcho the
//           same, but the relay's router treats it as a write; HeavyEcho
//           the same, but routing it costs the relay 2 ms of CPU);
//   Stream  "count,size" asked, that many messages of that size sent;
//   Fail    NOT_FOUND with a message and details;
//   Hang    no answer until the call is cancelled.
class Upstream final : public grpc::CallbackGenericService {
 public:
  static constexpr char kDetails[] = "\x08\x05\x12\x03\xff\x00\x01 details";
  static constexpr char kFailure[] = "không tìm thấy 100% địa phương";

  std::atomic<int> calls{0};
  std::atomic<int> hanging{0};
  std::atomic<int> cancelled{0};
  // Set: every call is answered UNAVAILABLE, as by a replica that cannot
  // serve just now.
  std::atomic<bool> unavailable{false};

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    ++calls;
    return new Reactor(this, context);
  }

 private:
  class Reactor final : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(Upstream* upstream, grpc::GenericCallbackServerContext* context)
        : upstream_(upstream), context_(context) {
      StartRead(&request_);
    }

    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        return;
      }
      const std::string method = context_->method();
      if (upstream_->unavailable.load()) {
        Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "không phục vụ lúc này"));
      } else if (method == "/test.Relay/Echo" || method == "/test.Relay/WriteEcho" ||
                 method == "/test.Relay/HeavyEcho") {
        for (const auto& [asked, echo] :
             {std::pair{"x-probe", "echo"}, {"x-probe-bin", "echo-bin"}}) {
          auto probe = context_->client_metadata().find(asked);
          if (probe != context_->client_metadata().end()) {
            context_->AddInitialMetadata(echo,
                                         std::string(probe->second.data(), probe->second.size()));
          }
        }
        context_->AddTrailingMetadata("x-trailer", "done");
        response_ = request_;
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      } else if (method == "/test.Relay/Stream") {
        std::vector<std::string> asked = absl::StrSplit(TextOf(request_), ',');
        (void)absl::SimpleAtoi(asked[0], &remaining_);
        (void)absl::SimpleAtoi(asked[1], &size_);
        WriteNext();
      } else if (method == "/test.Relay/Fail") {
        Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, kFailure,
                            std::string(kDetails, sizeof(kDetails) - 1)));
      } else if (method == "/test.Relay/Hang") {
        ++upstream_->hanging;
      } else {
        Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, method));
      }
    }

    void OnWriteDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
        return;
      }
      WriteNext();
    }

    void OnCancel() override {
      ++upstream_->cancelled;
      if (context_->method() == "/test.Relay/Hang") {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      }
    }

    void OnDone() override { delete this; }

   private:
    void WriteNext() {
      if (written_ == remaining_) {
        Finish(grpc::Status::OK);
        return;
      }
      response_ = BufferOf(StreamMessage(written_++, size_));
      StartWrite(&response_);
    }

    Upstream* const upstream_;
    grpc::GenericCallbackServerContext* const context_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    int remaining_ = 0;
    int written_ = 0;
    size_t size_ = 0;
  };
};

struct CallResult {
  grpc::Status status;
  std::vector<std::string> messages;
  std::multimap<std::string, std::string> initial_metadata;
  std::multimap<std::string, std::string> trailing_metadata;
};

// One call: a request sent with the half-close, every answer read.
class Caller final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Caller(grpc::GenericStub& stub, grpc::ClientContext& context, const std::string& method,
         const std::string& request)
      : context_(context), request_(BufferOf(request)) {
    stub.PrepareBidiStreamingCall(&context, method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&answer_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    result_.messages.push_back(TextOf(answer_));
    StartRead(&answer_);
  }

  void OnDone(const grpc::Status& status) override {
    result_.status = status;
    for (const auto& [key, value] : context_.GetServerInitialMetadata()) {
      result_.initial_metadata.emplace(std::string(key.data(), key.size()),
                                       std::string(value.data(), value.size()));
    }
    for (const auto& [key, value] : context_.GetServerTrailingMetadata()) {
      result_.trailing_metadata.emplace(std::string(key.data(), key.size()),
                                        std::string(value.data(), value.size()));
    }
    done_.Notify();
  }

  // Bounded, so a hung relay fails the test instead of stalling it.
  CallResult Wait() {
    if (!done_.WaitForNotificationWithTimeout(absl::Seconds(20))) {
      context_.TryCancel();
      done_.WaitForNotification();
      result_.status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "the test gave up");
    }
    return result_;
  }

 private:
  grpc::ClientContext& context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer answer_;
  CallResult result_;
  absl::Notification done_;
};

class FrameRelayTest : public ::testing::Test {
 protected:
  void SetUp() override { StartUpstream(); }

  void TearDown() override {
    relay_.reset();
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }

  // `max_connection_age_ms`, when set, is how long the upstream keeps a
  // connection before it sends GOAWAY, as the services do to spread load.
  void StartUpstream(int max_connection_age_ms = 0) {
    grpc::ServerBuilder builder;
    if (max_connection_age_ms > 0) {
      builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, max_connection_age_ms);
      builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 60'000);
    }
    builder.AddListeningPort(upstream_host_ + ":0", ServerCredentials(), &upstream_port_);
    builder.RegisterCallbackGenericService(&upstream_);
    builder.SetMaxReceiveMessageSize(64 << 20);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // The relay in front of the upstream; calls to Refused are answered by
  // the router itself.
  void StartRelay(RelaySettings settings = {}, std::string upstream = "") {
    if (upstream.empty()) upstream = absl::StrCat("127.0.0.1:", upstream_port_);
    FrameRelayOptions options{.listen_address = "127.0.0.1:0",
                              .upstreams = {{.target = upstream, .tls = !certificates_.empty()}},
                              .resolve_interval = resolve_interval_,
                              .settings = settings};
    if (!certificates_.empty()) {
      options.serve_tls =
          TlsFiles{.certificate = certificates_ + "/tls.crt",
                   .key = certificates_ + "/tls.key",
                   .ca = callers_need_certificates_ ? certificates_ + "/ca.crt" : ""};
      options.upstream_tls =
          TlsFiles{.certificate = "", .key = "", .ca = certificates_ + "/ca.crt"};
    }
    absl::StatusOr<std::unique_ptr<FrameRelay>> relay = FrameRelay::Start(
        std::move(options),
        [this](absl::string_view path, absl::string_view /*peer*/, Headers headers) {
          Route route;
          if (path == "/test.Relay/HeavyEcho") BurnThisThreadsCpu(absl::Milliseconds(2));
          if (path == "/test.Relay/Refused") {
            route.answer = Answer{grpc::StatusCode::PERMISSION_DENIED, "không được phép",
                                  std::string(Upstream::kDetails, sizeof(Upstream::kDetails) - 1)};
          }
          route.headers = std::move(headers);
          // As the gateway's router: reads may go to another replica.
          route.resendable = path != "/test.Relay/WriteEcho";
          route.on_end = [this](const CallEnd& end) {
            absl::MutexLock lock(&mutex_);
            ended_.push_back(end);
          };
          return route;
        });
    ASSERT_TRUE(relay.ok()) << relay.status();
    relay_ = *std::move(relay);
  }

  // A channel of its own: gRPC shares connections between equal channels.
  std::shared_ptr<grpc::Channel> NewChannel(int which = 0) {
    grpc::ChannelArguments arguments;
    arguments.SetInt("caunoi.test.channel", which);
    arguments.SetMaxReceiveMessageSize(64 << 20);
    return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", relay_->port()),
                                     ChannelCredentials(), arguments);
  }

  // Plaintext, or TLS with the certificates in certificates_ when set.
  std::shared_ptr<grpc::ServerCredentials> ServerCredentials() const {
    if (certificates_.empty()) return grpc::InsecureServerCredentials();
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({testing::ReadPem(certificates_ + "/tls.key"),
                                          testing::ReadPem(certificates_ + "/tls.crt")});
    return grpc::SslServerCredentials(options);
  }
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const {
    if (certificates_.empty()) return grpc::InsecureChannelCredentials();
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = testing::ReadPem(certificates_ + "/ca.crt");
    if (present_client_certificate_) {
      options.pem_private_key = testing::ReadPem(certificates_ + "/client.key");
      options.pem_cert_chain = testing::ReadPem(certificates_ + "/client.crt");
    }
    return grpc::SslCredentials(options);
  }

  CallResult Call(const std::string& method, const std::string& request,
                  std::shared_ptr<grpc::Channel> channel = nullptr) {
    if (channel == nullptr) channel = NewChannel();
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.AddMetadata("x-probe", "do duong");
    context.AddMetadata("x-probe-bin", "dò đường");
    Caller caller(stub, context, method, request);
    return caller.Wait();
  }

  // `count` messages of `size` bytes asked for: each arrives whole, in
  // order.
  void ExpectStreamWhole(int count, size_t size) {
    const CallResult result = Call("/test.Relay/Stream", absl::StrCat(count, ",", size));
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.messages.size(), static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(result.messages[static_cast<size_t>(i)], StreamMessage(i, size)) << "message " << i;
    }
  }

  // A request of 3 MB, every byte value in it, comes back whole.
  void ExpectLargeRequestEchoedWhole() {
    std::string request(3 << 20, '\0');
    for (size_t i = 0; i < request.size(); ++i) request[i] = static_cast<char>(i * 7 % 251);
    const CallResult result = Call("/test.Relay/Echo", request);
    ASSERT_TRUE(result.status.ok()) << result.status.error_message();
    ASSERT_EQ(result.messages.size(), 1u);
    EXPECT_TRUE(result.messages[0] == request);
  }

  // Whether the upstream has a Hang call under way before `deadline`.
  bool UpstreamSeesAHangingCall(absl::Time deadline) {
    while (upstream_.hanging.load() == 0 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    return upstream_.hanging.load() == 1;
  }

  // What the router's on_end saw, once `count` calls have ended.
  std::vector<CallEnd> EndedCalls(size_t count) {
    absl::MutexLock lock(&mutex_);
    auto enough = [&] { return ended_.size() >= count; };
    mutex_.AwaitWithTimeout(absl::Condition(&enough), absl::Seconds(20));
    return ended_;
  }
  // The statuses among it.
  std::vector<int> Ended(size_t count) {
    std::vector<int> statuses;
    for (const CallEnd& end : EndedCalls(count)) statuses.push_back(end.grpc_status);
    return statuses;
  }

  // A directory of certificates (see MakeCertificates): the callers, the
  // relay and the upstream then speak TLS.
  std::string certificates_;
  bool callers_need_certificates_ = false;  // mutual TLS with callers
  bool present_client_certificate_ = false;
  std::string upstream_host_ = "127.0.0.1";
  absl::Duration resolve_interval_ = absl::Seconds(30);
  Upstream upstream_;
  int upstream_port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<FrameRelay> relay_;
  absl::Mutex mutex_;
  std::vector<CallEnd> ended_;
};

TEST_F(FrameRelayTest, AUnaryCallPassesWithItsMetadataBothWays) {
  StartRelay();
  const CallResult result = Call("/test.Relay/Echo", "xin chào");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_THAT(result.messages, ElementsAre("xin chào"));
  auto echoed = result.initial_metadata.find("echo");
  ASSERT_NE(echoed, result.initial_metadata.end());
  EXPECT_EQ(echoed->second, "do duong");
  auto echoed_bytes = result.initial_metadata.find("echo-bin");
  ASSERT_NE(echoed_bytes, result.initial_metadata.end());
  EXPECT_EQ(echoed_bytes->second, "dò đường");
  auto trailer = result.trailing_metadata.find("x-trailer");
  ASSERT_NE(trailer, result.trailing_metadata.end());
  EXPECT_EQ(trailer->second, "done");
  EXPECT_THAT(Ended(1), ElementsAre(0));
}

// What the gateway charges a principal for: each message with its 5-byte
// gRPC prefix, as it passed.
TEST_F(FrameRelayTest, ACallsEndCountsTheBytesItCarriedEachWay) {
  StartRelay();
  const std::string big(300 * 1024, 'x');
  ASSERT_TRUE(Call("/test.Relay/Echo", big).status.ok());
  ASSERT_FALSE(Call("/test.Relay/Refused", big).status.ok());
  std::vector<CallEnd> ended = EndedCalls(2);
  ASSERT_EQ(ended.size(), 2u);
  if (ended[0].grpc_status != 0) std::swap(ended[0], ended[1]);  // the echo first
  EXPECT_EQ(ended[0].grpc_status, 0);
  EXPECT_EQ(ended[0].request_bytes, 5 + big.size());
  EXPECT_EQ(ended[0].response_bytes, 5 + big.size());
  EXPECT_EQ(ended[1].grpc_status, grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ended[1].response_bytes, 0u);  // answered by the router: nothing came back
}

TEST_F(FrameRelayTest, AnErrorKeepsItsCodeMessageAndDetails) {
  StartRelay();
  const CallResult result = Call("/test.Relay/Fail", "x");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(result.status.error_message(), Upstream::kFailure);
  EXPECT_EQ(result.status.error_details(),
            std::string(Upstream::kDetails, sizeof(Upstream::kDetails) - 1));
  EXPECT_THAT(Ended(1), ElementsAre(grpc::StatusCode::NOT_FOUND));
}

TEST_F(FrameRelayTest, TheRoutersAnswerIsWhatTheCallerHearsAndNothingIsRelayed) {
  StartRelay();
  const CallResult result = Call("/test.Relay/Refused", "x");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(result.status.error_message(), "không được phép");
  EXPECT_EQ(result.status.error_details(),
            std::string(Upstream::kDetails, sizeof(Upstream::kDetails) - 1));
  EXPECT_EQ(upstream_.calls.load(), 0);
  EXPECT_THAT(Ended(1), ElementsAre(grpc::StatusCode::PERMISSION_DENIED));
}

// 40 MB through windows of 64 KB a stream and 128 KB a connection: every
// byte must be given back to its sender's window as it is passed on, or
// the stream stalls.
TEST_F(FrameRelayTest, AStreamFarLargerThanTheWindowsArrivesWholeAndInOrder) {
  StartRelay({.stream_window = 64 * 1024, .connection_window = 128 * 1024});
  ExpectStreamWhole(400, 100 * 1024);
}

TEST_F(FrameRelayTest, ARequestFarLargerThanTheWindowsArrivesWhole) {
  StartRelay({.stream_window = 64 * 1024, .connection_window = 128 * 1024});
  ExpectLargeRequestEchoedWhole();
}

// Two loops, eight connections, 400 calls at once: each answer is its own.
TEST_F(FrameRelayTest, ManyCallsAtOnceOnManyConnectionsEachGetTheirOwnAnswer) {
  StartRelay();
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < 8; ++i) {
    channels.push_back(NewChannel(i));
    stubs.push_back(std::make_unique<grpc::GenericStub>(channels.back()));
  }
  const int calls = 400;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<Caller>> callers;
  for (int i = 0; i < calls; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    callers.push_back(std::make_unique<Caller>(*stubs[static_cast<size_t>(i % 8)], *contexts.back(),
                                               "/test.Relay/Echo", absl::StrCat("call ", i)));
  }
  for (int i = 0; i < calls; ++i) {
    const CallResult result = callers[static_cast<size_t>(i)]->Wait();
    ASSERT_TRUE(result.status.ok()) << i << ": " << result.status.error_message();
    EXPECT_THAT(result.messages, ElementsAre(absl::StrCat("call ", i)));
  }
  EXPECT_THAT(Ended(calls), Each(Eq(0)));
}

std::vector<int> CallersPerLoop(const FrameRelay& relay) {
  std::vector<int> per_loop;
  for (const FrameRelay::LoopLoad& load : relay.LoadPerLoop()) per_loop.push_back(load.callers);
  return per_loop;
}

// With no loop counted quiet (busy share 0), each connection is served by
// the loop with the fewest callers, whichever loop's socket the kernel
// handed it to, and a caller that leaves is counted out.
TEST_F(FrameRelayTest, CallersAreSpreadEvenlyOverTheLoopsWhenNoneCountsQuiet) {
  StartRelay({.busy_share = 0});
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 1; i <= 32; ++i) {
    channels.push_back(NewChannel(i));
    ASSERT_TRUE(Call("/test.Relay/Echo", "x", channels.back()).status.ok());
  }
  EXPECT_THAT(CallersPerLoop(*relay_), ElementsAre(16, 16));
  channels.clear();
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  while (CallersPerLoop(*relay_) != std::vector<int>{0, 0} && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(CallersPerLoop(*relay_), ElementsAre(0, 0));
}

// A relay that is not busy serves its callers from its first loop,
// whichever loop's socket the kernel handed each to.
TEST_F(FrameRelayTest, CallersArePackedOnTheFirstLoopWhileItIsQuiet) {
  StartRelay();
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 1; i <= 8; ++i) {
    channels.push_back(NewChannel(i));
    ASSERT_TRUE(Call("/test.Relay/Echo", "x", channels.back()).status.ok());
  }
  EXPECT_THAT(CallersPerLoop(*relay_), ElementsAre(8, 0));
}

// The first loop, made busy by callers that all landed on it, asks half
// of them at once to connect again (each an equal part of its load, the
// other loop idle); they come back to the idle loop, and no call fails or
// is lost on the way.
TEST_F(FrameRelayTest, ABusyLoopMovesHalfItsCallersAtOnceToAnIdleOneAndNoCallFails) {
  StartRelay({.busy_share = 0.2, .load_window = absl::Milliseconds(50)});
  constexpr int kCallers = 4;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 1; i <= kCallers; ++i) {
    channels.push_back(NewChannel(i));
    ASSERT_TRUE(Call("/test.Relay/Echo", "x", channels.back()).status.ok());
  }
  ASSERT_THAT(CallersPerLoop(*relay_), ElementsAre(kCallers, 0));

  std::atomic<bool> moved{false};
  std::vector<std::vector<std::string>> failures(kCallers);
  std::vector<int> calls_made(kCallers, 0);
  std::vector<std::thread> callers;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      const auto index = static_cast<size_t>(c);
      for (int i = 0; !moved.load() && absl::Now() < give_up; ++i) {
        const std::string request = absl::StrCat(c, "/", i);
        const CallResult result = Call("/test.Relay/HeavyEcho", request, channels[index]);
        ++calls_made[index];
        if (!result.status.ok() || result.messages != std::vector<std::string>{request}) {
          failures[index].push_back(absl::StrCat(request, ": ", result.status.error_message()));
        }
      }
    });
  }
  int64_t first_moved = 0;  // callers asked to leave when the first were
  while (!moved.load() && absl::Now() < give_up) {
    if (first_moved == 0) first_moved = relay_->LoadPerLoop()[0].callers_moved;
    moved.store(CallersPerLoop(*relay_)[1] > 0);
    absl::SleepFor(absl::Milliseconds(10));
  }
  moved.store(true);
  for (std::thread& caller : callers) caller.join();

  const std::vector<FrameRelay::LoopLoad> loads = relay_->LoadPerLoop();
  EXPECT_EQ(first_moved, kCallers / 2);
  EXPECT_GE(loads[1].callers, 1);
  for (int c = 0; c < kCallers; ++c) {
    EXPECT_GT(calls_made[static_cast<size_t>(c)], 0) << "caller " << c;
    EXPECT_THAT(failures[static_cast<size_t>(c)], ::testing::IsEmpty()) << "caller " << c;
  }
}

// The services close each connection after a while (GOAWAY) so that load
// spreads over new replicas. A call the relay had opened on the closing
// connection that the upstream never took (refused, or sent after its
// GOAWAY) goes again on a new connection: no caller hears of it.
class FrameRelayAgingUpstreamTest : public FrameRelayTest {
 protected:
  void SetUp() override { StartUpstream(/*max_connection_age_ms=*/20); }
};

TEST_F(FrameRelayAgingUpstreamTest, CallsAcrossTheUpstreamClosingItsConnectionsAllSucceed) {
  StartRelay();
  constexpr int kCallers = 8;
  constexpr int kCallsEach = 250;
  std::vector<std::vector<grpc::Status>> failures(kCallers);
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      auto channel = NewChannel(c);
      for (int i = 0; i < kCallsEach; ++i) {
        const CallResult result = Call("/test.Relay/Echo", absl::StrCat(c, "/", i), channel);
        if (!result.status.ok() || result.messages.size() != 1 ||
            result.messages[0] != absl::StrCat(c, "/", i)) {
          failures[static_cast<size_t>(c)].push_back(result.status);
        }
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  for (int c = 0; c < kCallers; ++c) {
    for (const grpc::Status& failure : failures[static_cast<size_t>(c)]) {
      ADD_FAILURE() << "caller " << c << ": " << failure.error_code() << " "
                    << failure.error_message();
    }
  }
  EXPECT_THAT(Ended(kCallers * kCallsEach), Each(Eq(0)));
}

TEST_F(FrameRelayTest, ACallerThatCancelsCancelsTheUpstreamsCall) {
  StartRelay();
  auto channel = NewChannel();
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Caller caller(stub, context, "/test.Relay/Hang", "x");
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  ASSERT_TRUE(UpstreamSeesAHangingCall(deadline));
  context.TryCancel();
  EXPECT_EQ(caller.Wait().status.error_code(), grpc::StatusCode::CANCELLED);
  while (upstream_.cancelled.load() == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(upstream_.cancelled.load(), 1);
  EXPECT_THAT(Ended(1), ElementsAre(grpc::StatusCode::CANCELLED));
}

TEST_F(FrameRelayTest, AnUpstreamNobodyListensOnAnswersUnavailable) {
  StartRelay({}, absl::StrCat("127.0.0.1:", testing::PickFreePort()));
  const CallResult result = Call("/test.Relay/Echo", "x");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(Ended(1), ElementsAre(grpc::StatusCode::UNAVAILABLE));
}

TEST_F(FrameRelayTest, AnUpstreamThatGoesAwayMidStreamEndsTheCallWithAnError) {
  StartRelay();
  auto channel = NewChannel();
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  // Far more than it will send before it is stopped.
  Caller caller(stub, context, "/test.Relay/Stream", "1000000000,1000");
  absl::SleepFor(absl::Milliseconds(100));
  server_->Shutdown(std::chrono::system_clock::now());
  server_.reset();
  const CallResult result = caller.Wait();
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << "the call hung";
}

// A call whose caller reads nothing: requested, then left.
class Unread final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Unread(grpc::GenericStub& stub, grpc::ClientContext& context, const std::string& request)
      : request_(BufferOf(request)) {
    stub.PrepareBidiStreamingCall(&context, "/test.Relay/Stream", grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartCall();
  }
  void OnDone(const grpc::Status& /*status*/) override { done_.Notify(); }
  void Wait() { done_.WaitForNotification(); }

 private:
  grpc::ByteBuffer request_;
  absl::Notification done_;
};

// Callers that stop reading hold only their own streams: every caller's
// calls share the relay's connection to the upstream, and its windows.
TEST_F(FrameRelayTest, CallersThatStopReadingDoNotStallAnotherCallersAnswers) {
  StartRelay({.stream_window = 64 * 1024, .connection_window = 128 * 1024});
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<Unread>> unread;
  for (int i = 0; i < 6; ++i) {
    channels.push_back(NewChannel(i + 1));
    stubs.push_back(std::make_unique<grpc::GenericStub>(channels.back()));
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    unread.push_back(std::make_unique<Unread>(*stubs.back(), *contexts.back(), "100000,100000"));
  }
  absl::SleepFor(absl::Milliseconds(500));  // their answers fill every window they have

  const CallResult result = Call("/test.Relay/Echo", "still here");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_THAT(result.messages, ElementsAre("still here"));
  for (size_t i = 0; i < unread.size(); ++i) {
    contexts[i]->TryCancel();
    unread[i]->Wait();
  }
}

// Draining waits for the calls under way, and takes no new ones.
TEST_F(FrameRelayTest, DrainingWaitsForTheCallsUnderWayAndTakesNoNewOnes) {
  StartRelay();
  auto channel = NewChannel();
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Caller hanging(stub, context, "/test.Relay/Hang", "x");
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  ASSERT_TRUE(UpstreamSeesAHangingCall(deadline));

  absl::Notification drained;
  std::thread drainer([&] {
    relay_->Drain(deadline);
    drained.Notify();
  });
  // A new caller finds nobody listening once the drain has begun.
  CallResult refused;
  do {
    refused =
        Call("/test.Relay/Echo", "x", NewChannel(static_cast<int>(absl::ToUnixNanos(absl::Now()))));
  } while (refused.status.ok() && absl::Now() < deadline);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_FALSE(drained.HasBeenNotified()) << "the drain did not wait for the call under way";

  context.TryCancel();
  EXPECT_EQ(hanging.Wait().status.error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(drained.WaitForNotificationWithTimeout(absl::Seconds(20)));
  drainer.join();
}

TEST_F(FrameRelayTest, ACallerThatConnectsAndSaysNothingIsClosed) {
  StartRelay({.greeting_timeout = absl::Milliseconds(200)});
  testing::RawConnection silent(relay_->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.ClosedByTheServer());
  // A caller that greeted is kept however long it stays idle, and calls
  // go on being answered.
  testing::RawConnection greeted(relay_->port());
  ASSERT_TRUE(greeted.connected());
  greeted.Send(testing::kHttp2Greeting);
  absl::SleepFor(absl::Milliseconds(600));
  EXPECT_FALSE(greeted.ClosedAlready());
  EXPECT_TRUE(Call("/test.Relay/Echo", "x").status.ok());
}

// An upstream of several replicas, each a server of its own: the relay
// takes them in turn, as the gateway's gRPC channels do (round_robin), and
// passes over those that do not answer.
class FrameRelayReplicasTest : public FrameRelayTest {
 protected:
  struct Replica {
    Upstream upstream;
    int port = 0;
    std::unique_ptr<grpc::Server> server;
  };

  void TearDown() override {
    relay_.reset();
    for (const std::unique_ptr<Replica>& replica : replicas_) Stop(*replica);
    FrameRelayTest::TearDown();
  }

  Replica& StartReplica(const std::string& address = "127.0.0.1:0") {
    auto replica = std::make_unique<Replica>();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &replica->port);
    builder.RegisterCallbackGenericService(&replica->upstream);
    replica->server = builder.BuildAndStart();
    EXPECT_NE(replica->server, nullptr) << address;
    replicas_.push_back(std::move(replica));
    return *replicas_.back();
  }

  static void Stop(Replica& replica) {
    if (replica.server == nullptr) return;
    replica.server->Shutdown(std::chrono::system_clock::now());
    replica.server.reset();
  }

  // As a gRPC target of fixed addresses: "ipv4:127.0.0.1:p,127.0.0.1:q".
  static std::string Ipv4Target(const std::vector<int>& ports) {
    std::string target = "ipv4:";
    for (size_t i = 0; i < ports.size(); ++i) {
      absl::StrAppend(&target, i == 0 ? "" : ",", "127.0.0.1:", ports[i]);
    }
    return target;
  }

  // `count` echo calls one after another on one channel; the failures,
  // each as "call 3: UNAVAILABLE ...", readable when a test prints them.
  std::vector<std::string> EchoCalls(int count, std::shared_ptr<grpc::Channel> channel) {
    std::vector<std::string> failures;
    for (int i = 0; i < count; ++i) {
      const CallResult result = Call("/test.Relay/Echo", absl::StrCat("call ", i), channel);
      if (!result.status.ok()) {
        failures.push_back(absl::StrCat("call ", i, ": code ", result.status.error_code(), " ",
                                        result.status.error_message()));
      } else if (result.messages != std::vector<std::string>{absl::StrCat("call ", i)}) {
        failures.push_back(absl::StrCat("call ", i, ": not echoed"));
      }
    }
    return failures;
  }

  std::vector<std::unique_ptr<Replica>> replicas_;
};

TEST_F(FrameRelayReplicasTest, CallsAreSpreadOverEveryReplica) {
  Replica& first = StartReplica();
  Replica& second = StartReplica();
  Replica& third = StartReplica();
  StartRelay({}, Ipv4Target({first.port, second.port, third.port}));
  EXPECT_THAT(EchoCalls(60, NewChannel()), ::testing::IsEmpty());
  // One caller's connection is served by one loop, which takes the
  // replicas in turn.
  EXPECT_EQ(first.upstream.calls.load(), 20);
  EXPECT_EQ(second.upstream.calls.load(), 20);
  EXPECT_EQ(third.upstream.calls.load(), 20);
}

TEST_F(FrameRelayReplicasTest, AReplicaNobodyListensOnIsPassedOver) {
  Replica& first = StartReplica();
  Replica& second = StartReplica();
  StartRelay({}, Ipv4Target({testing::PickFreePort(), first.port, second.port}));
  EXPECT_THAT(EchoCalls(30, NewChannel()), ::testing::IsEmpty());
  EXPECT_EQ(first.upstream.calls.load() + second.upstream.calls.load(), 30);
  EXPECT_GT(first.upstream.calls.load(), 0);
  EXPECT_GT(second.upstream.calls.load(), 0);
}

TEST_F(FrameRelayReplicasTest, WhenAReplicaStopsTheOthersTakeItsCalls) {
  Replica& leaving = StartReplica();
  Replica& staying = StartReplica();
  StartRelay({}, Ipv4Target({leaving.port, staying.port}));
  auto channel = NewChannel();
  EXPECT_THAT(EchoCalls(20, channel), ::testing::IsEmpty());
  ASSERT_EQ(leaving.upstream.calls.load(), 10);
  Stop(leaving);
  EXPECT_THAT(EchoCalls(40, channel), ::testing::IsEmpty());
  EXPECT_EQ(staying.upstream.calls.load(), 50);
}

TEST_F(FrameRelayReplicasTest, AReadAReplicaCannotServeGoesToAnotherAndAWriteDoesNot) {
  Replica& unavailable = StartReplica();
  Replica& serving = StartReplica();
  unavailable.upstream.unavailable = true;
  StartRelay({}, Ipv4Target({unavailable.port, serving.port}));
  auto channel = NewChannel();
  EXPECT_THAT(EchoCalls(20, channel), ::testing::IsEmpty());
  // Each read was asked of both in turn, and answered by the one serving.
  EXPECT_GE(unavailable.upstream.calls.load(), 10);
  EXPECT_EQ(serving.upstream.calls.load(), 20);
  int refused_writes = 0;
  for (int i = 0; i < 20; ++i) {
    const CallResult result = Call("/test.Relay/WriteEcho", absl::StrCat("write ", i), channel);
    if (result.status.error_code() == grpc::StatusCode::UNAVAILABLE) ++refused_writes;
  }
  EXPECT_EQ(refused_writes, 10) << "a write is sent once, whatever its answer";
}

TEST_F(FrameRelayReplicasTest, ADnsNameIsResolvedToTheReplicasAddresses) {
  // localhost is 127.0.0.1 and, where it resolves to it, ::1, which
  // nobody listens on here: the call goes to the address that answers.
  const int port = testing::PickFreePort();
  Replica& replica = StartReplica(absl::StrCat("127.0.0.1:", port));
  StartRelay({}, absl::StrCat("dns:///localhost:", port));
  EXPECT_THAT(EchoCalls(10, NewChannel()), ::testing::IsEmpty());
  EXPECT_EQ(replica.upstream.calls.load(), 10);
}

TEST_F(FrameRelayReplicasTest, WhenNoReplicaAnswersTheCallerHearsUnavailable) {
  StartRelay({}, Ipv4Target({testing::PickFreePort(), testing::PickFreePort()}));
  const CallResult result = Call("/test.Relay/Echo", "x");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(Ended(1), ElementsAre(grpc::StatusCode::UNAVAILABLE));
}

// Replicas behind a name that changes as a Deployment scales: the relay
// follows the name each time it looks it up again, and keeps what it had
// while the name does not resolve. The name is in this process's own
// hosts file (see private_hosts.h); the replicas listen on one port of
// two loopback addresses, as pods do on one port of their own addresses.
class FrameRelayChangingNameTest : public FrameRelayReplicasTest {
 protected:
  static constexpr char kName[] = "replicas.caunoi.test";

  void SetUp() override {
    FrameRelayReplicasTest::SetUp();
    resolve_interval_ = absl::Milliseconds(50);
  }

  // Calls one by one until `stop` holds after one, for at most 20 s:
  // whether it came to hold.
  bool CallUntil(const std::function<bool()>& stop, std::shared_ptr<grpc::Channel> channel) {
    const absl::Time give_up = absl::Now() + absl::Seconds(20);
    while (absl::Now() < give_up) {
      if (!EchoCalls(1, channel).empty()) return false;
      if (stop()) return true;
    }
    return false;
  }
};

TEST_F(FrameRelayChangingNameTest, ReplicasThatJoinOrLeaveTheNameAreFollowed) {
  ASSERT_THAT(testing::SetHostAddresses(kName, {"127.0.0.2"}), IsOk());
  const int port = testing::PickFreePort();
  Replica& first = StartReplica(absl::StrCat("127.0.0.2:", port));
  Replica& second = StartReplica(absl::StrCat("127.0.0.3:", port));
  StartRelay({}, absl::StrCat("dns:///", kName, ":", port));
  auto channel = NewChannel();
  EXPECT_THAT(EchoCalls(10, channel), ::testing::IsEmpty());
  EXPECT_EQ(first.upstream.calls.load(), 10);
  EXPECT_EQ(second.upstream.calls.load(), 0);

  // A replica joins: once it is found, the two take calls in turn.
  ASSERT_THAT(testing::SetHostAddresses(kName, {"127.0.0.2", "127.0.0.3"}), IsOk());
  ASSERT_TRUE(CallUntil([&] { return second.upstream.calls.load() > 0; }, channel));
  int first_before = first.upstream.calls.load();
  int second_before = second.upstream.calls.load();
  EXPECT_THAT(EchoCalls(20, channel), ::testing::IsEmpty());
  EXPECT_EQ(first.upstream.calls.load() - first_before, 10);
  EXPECT_EQ(second.upstream.calls.load() - second_before, 10);

  // The first leaves the name though it still listens, as a pod being
  // drained does: once the relay has looked again, it takes no new call.
  // Two calls in a row that miss it cannot happen while the two alternate.
  ASSERT_THAT(testing::SetHostAddresses(kName, {"127.0.0.3"}), IsOk());
  int missed_in_a_row = 0;
  first_before = first.upstream.calls.load();
  ASSERT_TRUE(CallUntil(
      [&] {
        const int now = first.upstream.calls.load();
        missed_in_a_row = now == first_before ? missed_in_a_row + 1 : 0;
        first_before = now;
        return missed_in_a_row == 2;
      },
      channel));
  second_before = second.upstream.calls.load();
  EXPECT_THAT(EchoCalls(20, channel), ::testing::IsEmpty());
  EXPECT_EQ(first.upstream.calls.load(), first_before);
  EXPECT_EQ(second.upstream.calls.load() - second_before, 20);

  // The name stops resolving (no replica ready just now): the replica
  // last found goes on serving through the lookups of the next seconds
  // (a second apart at the most often).
  ASSERT_THAT(testing::SetHostAddresses(kName, {}), IsOk());
  absl::SleepFor(absl::Seconds(3));
  second_before = second.upstream.calls.load();
  EXPECT_THAT(EchoCalls(10, channel), ::testing::IsEmpty());
  EXPECT_EQ(second.upstream.calls.load() - second_before, 10);
}

// Everything over TLS: callers to the relay, the relay to the upstream.
// The socket's bytes pass through TLS in memory on both sides, so what a
// call carries must still arrive whole, both ways, and in order.
class FrameRelayTlsTest : public FrameRelayTest {
 protected:
  void SetUp() override {
    certificates_ = testing::MakeTempDirectory("caunoi-relay-certificates");
    ASSERT_TRUE(testing::MakeCertificates(certificates_).ok());
    StartUpstream();
  }
};

TEST_F(FrameRelayTlsTest, AUnaryCallPassesWithItsMetadataBothWays) {
  StartRelay();
  const CallResult result = Call("/test.Relay/Echo", "xin chào");
  ASSERT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_THAT(result.messages, ElementsAre("xin chào"));
  EXPECT_EQ(result.initial_metadata.find("echo-bin")->second, "dò đường");
  EXPECT_EQ(result.trailing_metadata.find("x-trailer")->second, "done");
}

TEST_F(FrameRelayTlsTest, AStreamAndARequestFarLargerThanTheWindowsArriveWhole) {
  StartRelay({.stream_window = 64 * 1024, .connection_window = 128 * 1024});
  ExpectStreamWhole(200, 100 * 1024);
  ExpectLargeRequestEchoedWhole();
}

TEST_F(FrameRelayTlsTest, ManyCallersAtOnceEachGetTheirOwnAnswer) {
  StartRelay();
  constexpr int kCallers = 8;
  constexpr int kCallsEach = 50;
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&, c] {
      auto channel = NewChannel(c);
      for (int i = 0; i < kCallsEach; ++i) {
        const std::string asked = absl::StrCat(c, "/", i);
        const CallResult result = Call("/test.Relay/Echo", asked, channel);
        if (!result.status.ok() || result.messages != std::vector<std::string>{asked}) ++wrong;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(upstream_.calls.load(), kCallers * kCallsEach);
}

TEST_F(FrameRelayTlsTest, APlaintextCallerIsNotServed) {
  StartRelay();
  auto plaintext = grpc::CreateChannel(absl::StrCat("127.0.0.1:", relay_->port()),
                                       grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(plaintext);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  Caller caller(stub, context, "/test.Relay/Echo", "x");
  EXPECT_FALSE(caller.Wait().status.ok());
  EXPECT_EQ(upstream_.calls.load(), 0);
}

TEST_F(FrameRelayTlsTest, WithMutualTlsOnlyACallerWithTheCasCertificateIsServed) {
  ASSERT_TRUE(testing::MakeClientCertificate(certificates_).ok());
  callers_need_certificates_ = true;
  StartRelay();
  EXPECT_FALSE(Call("/test.Relay/Echo", "x").status.ok());
  EXPECT_EQ(upstream_.calls.load(), 0);
  present_client_certificate_ = true;
  const CallResult result = Call("/test.Relay/Echo", "x");
  EXPECT_TRUE(result.status.ok()) << result.status.error_message();
  EXPECT_EQ(upstream_.calls.load(), 1);
}

TEST_F(FrameRelayTlsTest, ACallerThatNeverFinishesItsHandshakeIsClosed) {
  StartRelay({.greeting_timeout = absl::Milliseconds(200)});
  testing::RawConnection silent(relay_->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.ClosedByTheServer());
  EXPECT_TRUE(Call("/test.Relay/Echo", "x").status.ok());
}

// An upstream on every address, reached at one its certificate does not
// name (it names 127.0.0.1 and localhost).
class FrameRelayTlsMisnamedTest : public FrameRelayTlsTest {
 protected:
  void SetUp() override {
    upstream_host_ = "0.0.0.0";
    FrameRelayTlsTest::SetUp();
  }
};

TEST_F(FrameRelayTlsMisnamedTest, AnUpstreamWhoseCertificateIsNotForItsAddressIsNotReached) {
  StartRelay({}, absl::StrCat("ipv4:127.0.0.2:", upstream_port_));
  const CallResult result = Call("/test.Relay/Echo", "x");
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(upstream_.calls.load(), 0);
  // The same upstream at the address it is for is reached.
  relay_.reset();
  StartRelay({}, absl::StrCat("ipv4:127.0.0.1:", upstream_port_));
  EXPECT_TRUE(Call("/test.Relay/Echo", "x").status.ok());
  EXPECT_EQ(upstream_.calls.load(), 1);
}

}  // namespace
}  // namespace caunoi::gateway::relay
