// The demo's 12-CT/TW indicators through the gateway: the rollout's
// national totals per period add up to what the reports service sums, and
// to the localities' own and to a locality's dashboard; localities ranked
// by an indicator.
#include <map>
#include <string>

#include "common/testing/error_details.h"
#include "tests/e2e/gateway_fixture.h"

namespace caunoi {
namespace {

using ::caunoi::testing::IsOk;

class IndicatorRolloutTest : public GatewayTest {};

TEST_F(IndicatorRolloutTest, TheRolloutsTotalsAddUpNationallyPerPeriodAndPerLocality) {
  const std::string document = FindDocument("12-CT/TW");
  v1::GetDirectiveRolloutRequest request;
  request.set_document(document);
  v1::DirectiveRollout rollout;
  ASSERT_THAT(
      Call<v1::GatewayService>(gateway_->NewChannel(), kReader,
                               &v1::GatewayService::Stub::GetDirectiveRollout, request, &rollout),
      IsOk());
  // Per period, per indicator, nationally; and per locality over the range.
  std::map<std::string, double> national, of_localities;
  std::map<std::string, std::string> periods;
  for (const v1::IndicatorTotal& total : rollout.indicators()) {
    national[total.indicator()] += total.sum();
    periods[total.period()] = total.period();
  }
  EXPECT_GE(periods.size(), 8u);  // half-years since 2022
  for (const v1::LocalityRollout& locality : rollout.localities()) {
    for (const v1::IndicatorTotal& total : locality.indicators()) {
      of_localities[total.indicator()] += total.sum();
    }
  }
  ASSERT_EQ(national.size(), 7u);  // 12-CT/TW's seven indicators
  EXPECT_EQ(national, of_localities);
  EXPECT_GT(national["indicators/cadres_trained"], 0);

  // The same as the reports service sums by itself.
  v1::SummarizeIndicatorsRequest summarize;
  summarize.add_documents(document);
  summarize.add_indicators("cadres_trained");
  summarize.set_include_submitted(true);
  v1::SummarizeIndicatorsResponse summed;
  ASSERT_THAT(
      Call<v1::ReportService>(gateway_->NewChannel(), kReader,
                              &v1::ReportService::Stub::SummarizeIndicators, summarize, &summed),
      IsOk());
  ASSERT_EQ(summed.totals_size(), 1);
  EXPECT_EQ(summed.totals(0).sum(), national["indicators/cadres_trained"]);

  // Hanoi's dashboard with the document: its indicators per period, adding
  // up to Hanoi's entry in the rollout.
  v1::GetLocalityDashboardRequest dashboard_request;
  dashboard_request.set_locality("localities/01");
  dashboard_request.set_document(document);
  v1::LocalityDashboard dashboard;
  ASSERT_THAT(Call<v1::GatewayService>(gateway_->NewChannel(), kReader,
                                       &v1::GatewayService::Stub::GetLocalityDashboard,
                                       dashboard_request, &dashboard),
              IsOk());
  std::map<std::string, double> hanoi_by_period, hanoi_in_rollout;
  for (const v1::IndicatorTotal& total : dashboard.indicators()) {
    EXPECT_EQ(total.locality(), "localities/01");
    EXPECT_FALSE(total.period().empty());
    hanoi_by_period[total.indicator()] += total.sum();
  }
  for (const v1::LocalityRollout& locality : rollout.localities()) {
    if (locality.locality() != "localities/01") continue;
    for (const v1::IndicatorTotal& total : locality.indicators()) {
      hanoi_in_rollout[total.indicator()] = total.sum();
    }
  }
  EXPECT_EQ(hanoi_by_period.size(), 7u);
  EXPECT_EQ(hanoi_by_period, hanoi_in_rollout);
}

TEST_F(IndicatorRolloutTest, LocalitiesAreRankedByAnIndicator) {
  v1::CompareLocalitiesRequest request;
  request.set_document(FindDocument("12-CT/TW"));
  request.set_metric(v1::LOCALITY_METRIC_INDICATOR);
  request.set_indicator("indicators/dissemination_attendance");
  v1::CompareLocalitiesResponse compared;
  ASSERT_THAT(
      Call<v1::GatewayService>(gateway_->NewChannel(), kReader,
                               &v1::GatewayService::Stub::CompareLocalities, request, &compared),
      IsOk());
  ASSERT_EQ(compared.ranks_size(), 34);
  EXPECT_EQ(compared.ranks(0).rank(), 1);
  for (int i = 1; i < compared.ranks_size(); ++i) {
    EXPECT_TRUE(compared.ranks(i).has_value());
    EXPECT_GE(compared.ranks(i - 1).value(), compared.ranks(i).value());
  }
  request.clear_indicator();
  EXPECT_EQ(caunoi::testing::FieldOf(Call<v1::GatewayService>(
                gateway_->NewChannel(), kReader, &v1::GatewayService::Stub::CompareLocalities,
                request, &compared)),
            "indicator");
}

}  // namespace
}  // namespace caunoi
