#include "services/gateway/web/assets.h"

#include <algorithm>

namespace caunoi::gateway::web {

const Asset* FindAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  std::span<const Asset> assets = Assets();
  const auto found = std::lower_bound(
      assets.begin(), assets.end(), path,
      [](const Asset& asset, std::string_view wanted) { return asset.path < wanted; });
  return found != assets.end() && found->path == path ? &*found : nullptr;
}

std::string_view ContentTypeOf(std::string_view path) {
  if (path.ends_with(".html")) return "text/html; charset=utf-8";
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace caunoi::gateway::web
