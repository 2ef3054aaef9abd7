// IPC channel names shared by the preload and the main process (the only two users).
export const IPC_CALL = 'api:call';
export const IPC_EVENT = 'api:event';
export const IPC_SAVE_DOWNLOAD = 'download:save';
