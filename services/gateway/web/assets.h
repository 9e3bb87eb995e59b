// The dashboard's files, compiled into the gateway (no CDN, no files on
// disk): the page works on a closed network.
#ifndef CAUNOI_SERVICES_GATEWAY_WEB_ASSETS_H_
#define CAUNOI_SERVICES_GATEWAY_WEB_ASSETS_H_

#include <span>
#include <string_view>

namespace caunoi::gateway::web {

struct Asset {
  std::string_view path;  // "/index.html", "/js/app.js"
  std::string_view body;
};

// Every file under services/gateway/web/assets, sorted by path.
std::span<const Asset> Assets();

// The asset served at `path` ("/" is /index.html), or nullptr.
const Asset* FindAsset(std::string_view path);

// "text/html; charset=utf-8", ... by the path's extension.
std::string_view ContentTypeOf(std::string_view path);

}  // namespace caunoi::gateway::web

#endif  // CAUNOI_SERVICES_GATEWAY_WEB_ASSETS_H_
