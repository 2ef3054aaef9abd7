// download-ticket-create: the caller's role and sites are checked per kind of download, like
// the data's own list method; the ticket carries the session, so logging out voids it.
import type { HandlerMap } from '../context';

export const downloadHandlers: HandlerMap<'download-ticket-create'> = {
  'download-ticket-create': (input, ctx) => {
    const caller = ctx.requireCaller();
    const ticket = ctx.services.downloads.createTicket(caller, ctx.conn.token ?? '', input);
    ctx.audit({
      entity: 'download',
      entityId: input.kind === 'backup' ? input.fileName : input.kind,
    });
    return ticket;
  },
};
