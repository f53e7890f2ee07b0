/** Ids shared by the tiny activation entry and the lazily loaded host (no imports on purpose). */
export const COMMANDS = {
  newSession: 'agentSessions.newSession',
  openInEditor: 'agentSessions.openInEditor',
  sendSelection: 'agentSessions.sendSelection',
  sendFile: 'agentSessions.sendFile',
  pause: 'agentSessions.pause',
  resume: 'agentSessions.resume',
  cancel: 'agentSessions.cancel',
  compact: 'agentSessions.compact',
  approvePending: 'agentSessions.approvePending',
  denyPending: 'agentSessions.denyPending',
  approveFromDiff: 'agentSessions.approveFromDiff',
  denyFromDiff: 'agentSessions.denyFromDiff',
  switchModel: 'agentSessions.switchModel',
  switchMode: 'agentSessions.switchMode',
  rename: 'agentSessions.rename',
  delete: 'agentSessions.delete',
  exportMarkdown: 'agentSessions.exportMarkdown',
  setApiKey: 'agentSessions.setApiKey',
  openLogs: 'agentSessions.openLogs',
  trustWorkspace: 'agentSessions.trustWorkspace',
  focusWaiting: 'agentSessions.focusWaiting',
  showMcpServers: 'agentSessions.showMcpServers',
  showKnowledge: 'agentSessions.showKnowledge',
  takeOver: 'agentSessions.takeOver',
} as const;

export const VIEW_ID = 'agentSessions.chat';
export const PANEL_TYPE = 'agentSessions.panel';
