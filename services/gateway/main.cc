// The gateway: one entry point for provincial systems. It owns no tables.
#include "common/server/service_host.h"

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host = ServiceHost::Start(
      argc, argv,
      {.service = "gateway", .listen_address = "127.0.0.1:50050", .needs_database = false},
      /*migrations=*/{});
  return host->Serve({});
}
