package dev.fairshare.settlement.web;

import dev.fairshare.settlement.service.dashboard.DashboardViews;
import dev.fairshare.settlement.service.dashboard.PayoutDashboard;
import dev.fairshare.settlement.service.dashboard.PoolDashboard;
import io.quarkus.qute.TemplateData;

/**
 * The read side's view models that the dashboard's templates render, each with a value resolver
 * generated at build time (the service layer that makes them knows nothing of templates).
 */
@TemplateData(target = DashboardViews.Amount.class)
@TemplateData(target = DashboardViews.PeriodTotal.class)
@TemplateData(target = DashboardViews.Earning.class)
@TemplateData(target = DashboardViews.LineageRow.class)
@TemplateData(target = DashboardViews.UnratedRow.class)
@TemplateData(target = DashboardViews.Uncovered.class)
@TemplateData(target = DashboardViews.Mismatch.class)
@TemplateData(target = DashboardViews.Line.class)
@TemplateData(target = DashboardViews.Period.class)
@TemplateData(target = DashboardViews.PartyAmount.class)
@TemplateData(target = DashboardViews.Unattributed.class)
@TemplateData(target = DashboardViews.Quarantined.class)
@TemplateData(target = DashboardViews.MakerPage.class)
@TemplateData(target = DashboardViews.ProposalRow.class)
@TemplateData(target = DashboardViews.Name.class)
@TemplateData(target = DashboardViews.FinancePage.class)
@TemplateData(target = DashboardViews.LinesPage.class)
@TemplateData(target = PayoutDashboard.Line.class)
@TemplateData(target = PayoutDashboard.Run.class)
@TemplateData(target = PayoutDashboard.Page.class)
@TemplateData(target = PoolDashboard.MakerPool.class)
@TemplateData(target = PoolDashboard.UnpaidShare.class)
@TemplateData(target = PoolDashboard.MakerPools.class)
@TemplateData(target = PoolDashboard.SplitRow.class)
@TemplateData(target = PoolDashboard.FinancePool.class)
final class ViewModels {
    private ViewModels() {}
}
