// @ts-nocheck
// Scans and reports: list, create, get, cancel; reports of completed scans.
import { ApiError } from '../errors/api-error';
import { paginate } from '../resources/pagination';
import { newScan } from '../resources/scans';
import type { Handler, HandlerContext } from './types';

const cursorPointer = (ctx: HandlerContext) => ctx.op.parameters.find((p) => p.name === 'cursor')!.schemaPointer;

function findScan(ctx: HandlerContext) {
  const scan = ctx.state.scans.get(ctx.principal.account.id, ctx.params.scan_id);
  if (!scan) throw ApiError.notFound('scan', ctx.params.scan_id);
  return scan;
}

export const listScans: Handler = (ctx) => {
  const { scans } = ctx.state;
  let items = scans.listOf(ctx.principal.account.id);
  const status = ctx.query.status as string | undefined;
  if (status) items = items.filter((s) => scans.view(s, ctx.now).status === status);
  return {
    status: 200,
    body: paginate(items, ctx.query.limit as number, ctx.query.cursor as string | undefined, (s) => scans.view(s, ctx.now), cursorPointer(ctx), ctx.op.operationId),
  };
};

export const createScan: Handler = (ctx) => {
  const body = ctx.body as { target: string; scan_type: string };
  const scan = newScan(ctx.state.faker, ctx.state.ids, ctx.principal.account.id, body.target, body.scan_type, ctx.now);
  ctx.state.scans.add(scan);
  return { status: 201, body: ctx.state.scans.view(scan, ctx.now) };
};

export const getScan: Handler = (ctx) => ({ status: 200, body: ctx.state.scans.view(findScan(ctx), ctx.now) });

export const cancelScan: Handler = (ctx) => {
  const scan = findScan(ctx);
  const current = ctx.state.scans.view(scan, ctx.now);
  if (current.status !== 'queued' && current.status !== 'running') {
    throw ApiError.conflict(`The scan has already finished (${current.status})`, { reason: 'scan_finished', resource: 'scan', id: scan.id });
  }
  scan.cancelledAt = ctx.now;
  return { status: 200, body: ctx.state.scans.view(scan, ctx.now) };
};

export const listReports: Handler = (ctx) => {
  const { scans } = ctx.state;
  const scanId = ctx.query.scan_id as string | undefined;
  const completed = scans
    .listOf(ctx.principal.account.id)
    .filter((s) => (scanId === undefined || s.id === scanId) && scans.view(s, ctx.now).status === 'completed');
  return {
    status: 200,
    body: paginate(completed, ctx.query.limit as number, ctx.query.cursor as string | undefined, (s) => scans.reportOf(s, ctx.now)!, cursorPointer(ctx), ctx.op.operationId),
  };
};

export const getReport: Handler = (ctx) => {
  const { scans } = ctx.state;
  const scan = scans.scanOfReport(ctx.principal.account.id, ctx.params.report_id);
  const report = scan && scans.reportOf(scan, ctx.now);
  if (!report) throw ApiError.notFound('report', ctx.params.report_id);
  return { status: 200, body: report };
};
