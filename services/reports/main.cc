// The reports server: reporting obligations, periodic reports, activities and proposals.
// It owns the "reports" schema; its RPCs arrive with its own contract.
#include "common/server/service_host.h"

int main(int argc, char** argv) {
  using namespace caunoi;
  auto host =
      ServiceHost::Start(argc, argv, {.service = "reports", .listen_address = "127.0.0.1:50053"},
                         /*migrations=*/{});
  return host->Serve({});
}
