#include "services/gateway/token_table.h"

#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/commune_name.h"
#include "common/api/locality_name.h"
#include "common/api/resource_name.h"
#include "common/config/read_file.h"

namespace caunoi::gateway {
namespace {

// A province ("01") or one of its communes ("01/00004").
bool IsPlace(absl::string_view place) {
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(place, absl::MaxSplits('/', 1));
  return IsLocalityCode(parts.first) &&
         (parts.second.empty() ? place.size() == 2 : IsCommuneCode(parts.second));
}

bool IsHexHash(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

}  // namespace

std::string Sha256Hex(absl::string_view text) {
  // The digest fetched once and a context kept per thread: EVP_sha256()
  // looks the digest up by name on every use, and EVP_Digest allocates a
  // context each time, which together cost the gateway more per call than
  // hashing the token itself.
  static const EVP_MD* const sha256 = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  struct FreeContext {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, FreeContext> context(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // A failure leaves `length` 0: the empty hash matches no token.
  if (context == nullptr || EVP_DigestInit_ex2(context.get(), sha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), text.data(), text.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
    length = 0;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

absl::StatusOr<absl::flat_hash_map<std::string, auth::Principal>> ParseTokenFile(
    absl::string_view contents) {
  absl::flat_hash_map<std::string, auth::Principal> table;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(absl::StrCat("token file line ", number, ": ", why));
    };
    if (fields.size() != 4 && fields.size() != 5) {
      return bad("expected: sha256-hex name locality role [organization]");
    }
    if (!IsHexHash(fields[0])) return bad("the hash must be 64 lower-case hex digits");
    const std::optional<auth::Role> role = auth::ParseRole(fields[3]);
    if (!role) return bad("role must be central, locality, unit, reader or operator");
    std::string organization;
    if (fields.size() == 5) {
      absl::StatusOr<std::vector<std::string>> ids =
          api::ParseResourceName(fields[4], "organizations/{}", "organization");
      if (!ids.ok()) return bad("organization must be a name like organizations/2");
      organization = (*ids)[0];
    }
    if ((*role == auth::Role::kUnit) != !organization.empty()) {
      return bad("a unit principal, and only a unit principal, names its organization");
    }
    std::string locality;
    if (fields[2] != "central") {
      if (!IsPlace(fields[2])) {
        return bad("locality must be a code like 01, a commune like 01/00004, or central");
      }
      locality = std::string(fields[2]);
    }
    if ((*role == auth::Role::kLocality || *role == auth::Role::kUnit) && locality.empty()) {
      return bad("a locality or unit principal needs a locality code");
    }
    if (*role == auth::Role::kCentral && !locality.empty()) {
      return bad("a central principal has locality \"central\"");
    }
    if (!table
             .emplace(std::string(fields[0]),
                      auth::Principal{std::string(fields[1]), locality, *role, organization})
             .second) {
      return bad("the same token hash appears twice");
    }
  }
  return table;
}

absl::Status TokenTable::Load(const std::string& path) {
  path_ = path;
  absl::StatusOr<std::string> contents = ReadFlagFile(path, "tokens_file");
  if (!contents.ok()) return contents.status();
  absl::StatusOr<absl::flat_hash_map<std::string, auth::Principal>> table =
      ParseTokenFile(*contents);
  if (!table.ok()) return table.status();
  absl::MutexLock lock(&mutex_);
  by_hash_ = *std::move(table);
  contents_ = *std::move(contents);
  return absl::OkStatus();
}

absl::Status TokenTable::ReloadIfChanged() {
  absl::StatusOr<std::string> contents = ReadFlagFile(path_, "tokens_file");
  if (!contents.ok()) return contents.status();
  {
    absl::MutexLock lock(&mutex_);
    if (*contents == contents_) return absl::OkStatus();
  }
  return Load(path_);
}

std::optional<auth::Principal> TokenTable::Find(absl::string_view token) const {
  const std::string hash = Sha256Hex(token);
  absl::MutexLock lock(&mutex_);
  auto found = by_hash_.find(hash);
  if (found == by_hash_.end()) return std::nullopt;
  return found->second;
}

size_t TokenTable::size() const {
  absl::MutexLock lock(&mutex_);
  return by_hash_.size();
}

}  // namespace caunoi::gateway
