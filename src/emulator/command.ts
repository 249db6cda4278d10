// Placeholder until the emulator branch lands.
import type { Env } from '../core/credentials.js';
export interface EmulatorCommandOptions { port?: string; secretId?: string[]; secretKey?: string[]; state?: string }
export interface CommandIO { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown }; env: Env }
export async function runEmulatorCommand(_o: EmulatorCommandOptions, _io: CommandIO, _signal: AbortSignal): Promise<void> {
  throw new Error('not built yet');
}
