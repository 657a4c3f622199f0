// Scans and reports: list, create, get, cancel; reports of completed scans.
import { ApiError } from '../../errors/api-error';
import { newScan } from '../resources/scans';
import { pageOf } from './list';
import type { Handler, HandlerContext } from './types';

function findScan(ctx: Pick<HandlerContext<'getScan'>, 'stores' | 'principal' | 'params'>) {
  const scan = ctx.stores.scans.get(ctx.principal.account.id, ctx.params.scan_id);
  if (!scan) throw ApiError.notFound('scan', ctx.params.scan_id);
  return scan;
}

export const listScans: Handler<'listScans'> = (ctx) => {
  const { scans } = ctx.stores;
  let items = scans.listOf(ctx.principal.account.id);
  const status = ctx.query.status;
  if (status) items = items.filter((s) => scans.view(s, ctx.now).status === status);
  return pageOf(ctx, items, (s) => scans.view(s, ctx.now));
};

export const createScan: Handler<'createScan'> = (ctx) => {
  const scan = newScan(ctx.stores.faker, ctx.stores.ids, ctx.principal.account.id, ctx.body.target, ctx.body.scan_type, ctx.now);
  ctx.stores.scans.add(scan);
  return ctx.stores.scans.view(scan, ctx.now);
};

export const getScan: Handler<'getScan'> = (ctx) => ctx.stores.scans.view(findScan(ctx), ctx.now);

export const cancelScan: Handler<'cancelScan'> = (ctx) => {
  const scan = findScan(ctx);
  const current = ctx.stores.scans.view(scan, ctx.now);
  if (current.status !== 'queued' && current.status !== 'running') {
    throw ApiError.conflict(`The scan has already finished (${current.status})`, { reason: 'scan_finished', resource: 'scan', id: scan.id });
  }
  scan.cancelledAt = ctx.now;
  return ctx.stores.scans.view(scan, ctx.now);
};

export const listReports: Handler<'listReports'> = (ctx) => {
  const { scans } = ctx.stores;
  const scanId = ctx.query.scan_id;
  const completed = scans
    .listOf(ctx.principal.account.id)
    .filter((s) => (scanId === undefined || s.id === scanId) && scans.view(s, ctx.now).status === 'completed');
  return pageOf(ctx, completed, (s) => scans.reportOf(s, ctx.now)!);
};

export const getReport: Handler<'getReport'> = (ctx) => {
  const { scans } = ctx.stores;
  const scan = scans.scanOfReport(ctx.principal.account.id, ctx.params.report_id);
  const report = scan && scans.reportOf(scan, ctx.now);
  if (!report) throw ApiError.notFound('report', ctx.params.report_id);
  return report;
};
