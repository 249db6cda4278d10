/** The local TCSS API peer behind `tcss emulator`; see server.ts and faults.ts. */
export { startEmulator } from './server.js';
export { runEmulatorCommand } from './command.js';
export type { EmulatorCommandOptions, CommandIO } from './command.js';
export { FAULT_KINDS } from './types.js';
export type { Emulator, EmulatorAccount, EmulatorOptions, FaultKind, FaultSpec, RecordedRequest } from './types.js';
export { defaultSettings } from './state.js';
