#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "caunoi/v1/directives.pb.h"
#include "common/changes/change_hub.h"
#include "common/changes/change_store.h"
#include "gtest/gtest.h"

namespace caunoi::changes {
namespace {

// A decoder that counts its calls and decodes documents only.
std::shared_ptr<const Decoder> CountingDecoder(std::atomic<int>& calls) {
  return std::make_shared<const Decoder>(
      [&calls](const v1::Change& change,
               absl::string_view state) -> std::shared_ptr<const google::protobuf::Message> {
        ++calls;
        auto document = std::make_shared<v1::Document>();
        if (change.resource().rfind("directives/", 0) != 0 || !StateAs(state, *document)) {
          return nullptr;
        }
        return document;
      });
}

// The feed reads every change; only a typed watcher needs its state as a
// message, so it is decoded when first asked for, once whoever asks.
TEST(ChangeEventTest, AStateIsDecodedWhenFirstAskedForAndOnceForEveryWatcher) {
  std::atomic<int> calls{0};
  ChangeEvent event;
  event.change.set_resource("directives/7");
  event.DecodeOnDemand(CountingDecoder(calls),
                       R"({"name":"directives/7","symbol":"12-CT/TƯ","number":"12"})");
  EXPECT_EQ(calls.load(), 0);

  std::vector<const google::protobuf::Message*> seen(8, nullptr);
  std::vector<std::thread> watchers;
  for (size_t i = 0; i < seen.size(); ++i) {
    watchers.emplace_back([&, i] { seen[i] = event.Typed(); });
  }
  for (std::thread& watcher : watchers) watcher.join();

  EXPECT_EQ(calls.load(), 1);
  const auto* document = dynamic_cast<const v1::Document*>(seen[0]);
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->symbol(), "12-CT/TƯ");
  EXPECT_EQ(document->number(), 12);
  for (const google::protobuf::Message* message : seen) EXPECT_EQ(message, document);
}

TEST(ChangeEventTest, ADeleteOrAnotherResourceOrNoDecoderHasNoTypedState) {
  std::atomic<int> calls{0};
  ChangeEvent deleted;
  deleted.change.set_resource("directives/7");
  deleted.DecodeOnDemand(CountingDecoder(calls), "");
  EXPECT_EQ(deleted.Typed(), nullptr);

  ChangeEvent task;
  task.change.set_resource("tasks/3");
  task.DecodeOnDemand(CountingDecoder(calls), R"({"name":"tasks/3"})");
  EXPECT_EQ(task.Typed(), nullptr);
  EXPECT_EQ(calls.load(), 2);

  ChangeEvent forwarded;  // as the gateway's, read from a service's ListChanges
  forwarded.change.set_resource("directives/7");
  EXPECT_EQ(forwarded.Typed(), nullptr);
}

}  // namespace
}  // namespace caunoi::changes
