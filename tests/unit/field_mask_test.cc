#include "common/api/field_mask.h"

#include "caunoi/v1/organizations.pb.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caunoi::api {
namespace {

using ::caunoi::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::string_view kUpdatable[] = {"display_name", "english_name", "founded"};

google::protobuf::FieldMask Mask(std::vector<std::string> paths) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  return mask;
}

TEST(FieldMaskTest, EmptyMaskMeansTheUpdatableFieldsThatAreSet) {
  v1::Organization patch;
  patch.set_english_name("Hanoi Union");
  patch.set_etag("3");  // set, but not updatable
  EXPECT_THAT(*ResolveUpdateMask(Mask({}), patch, kUpdatable), ElementsAre("english_name"));
  EXPECT_THAT(ResolveUpdateMask(Mask({}), v1::Organization(), kUpdatable).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("update_mask")));
}

TEST(FieldMaskTest, StarMeansEveryUpdatableField) {
  EXPECT_THAT(*ResolveUpdateMask(Mask({"*"}), v1::Organization(), kUpdatable),
              ElementsAre("display_name", "english_name", "founded"));
}

TEST(FieldMaskTest, RefusesPathsThatCannotBeUpdated) {
  EXPECT_THAT(
      ResolveUpdateMask(Mask({"name"}), v1::Organization(), kUpdatable).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"name\" cannot be updated")));
  EXPECT_THAT(ResolveUpdateMask(Mask({"nonsense"}), v1::Organization(), kUpdatable).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FieldMaskTest, AppliesOnlyMaskedFieldsAndClearsUnsetOnes) {
  v1::Organization current;
  current.set_display_name("Hội cũ");
  current.set_english_name("Old");
  current.mutable_founded()->set_year(1985);
  v1::Organization patch;
  patch.set_display_name("not applied");
  patch.set_english_name("New");
  ApplyUpdateMask(patch, {"english_name", "founded"}, current);
  EXPECT_EQ(current.display_name(), "Hội cũ");
  EXPECT_EQ(current.english_name(), "New");
  EXPECT_FALSE(current.has_founded());
}

TEST(FieldMaskTest, CoversWhatAnUpdateMayWrite) {
  EXPECT_TRUE(MaskCovers(Mask({}), "locality"));
  EXPECT_TRUE(MaskCovers(Mask({"*"}), "locality"));
  EXPECT_TRUE(MaskCovers(Mask({"title", "locality"}), "locality"));
  EXPECT_FALSE(MaskCovers(Mask({"title"}), "locality"));
}

TEST(FieldMaskTest, DerivedPathFollowsItsSourceAndIsNeverTheCallers) {
  EXPECT_THAT(WithDerivedPath(Mask({"locality"}), "locality", "current_locality")->paths(),
              ElementsAre("locality", "current_locality"));
  EXPECT_THAT(WithDerivedPath(Mask({"title"}), "locality", "current_locality")->paths(),
              ElementsAre("title"));
  EXPECT_TRUE(WithDerivedPath(Mask({}), "locality", "current_locality")->paths().empty());
  EXPECT_THAT(WithDerivedPath(Mask({"current_locality"}), "locality", "current_locality").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("derived")));
}

}  // namespace
}  // namespace caunoi::api
