// The two-stage interrupt of `ipass apply`. First SIGINT or SIGTERM (Ctrl-C, a cancelled CI job):
// the run's signal is aborted, so nothing new starts and what is in flight finishes and is recorded.
// Second (or the first, before the state is locked and anything could be sent): quit at once with 130.
import { type Io, writeLine } from './io.js';

export interface InterruptOptions {
  io: Io;
  /** True once the state is locked: from then on requests may go out, and the first signal only stops. */
  started: () => boolean;
  /** Ends the process at once (the command passes `process.exit`; the journal keeps the state consistent). */
  quit: (code: number) => void;
}

export interface Interrupts {
  /** Aborted on the first signal once started. */
  signal: AbortSignal;
  /** Stop listening for the signals. */
  dispose(): void;
}

export function watchInterrupts(options: InterruptOptions): Interrupts {
  const { io, started, quit } = options;
  const stopper = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (!started()) {
      // Still reading the campaign files or waiting for the lock: nothing was sent, nothing to record.
      writeLine(io.stderr, '\nInterrupted before anything was sent.');
      quit(130);
    } else if (interrupts === 1) {
      stopper.abort();
      writeLine(
        io.stderr,
        `\nStopping${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}: no new requests; waiting for those in flight to finish and be recorded. Press Ctrl-C again to quit at once.`,
      );
    } else {
      writeLine(
        io.stderr,
        '\nQuitting now. The journal keeps the state consistent: run `ipass apply` again to finish.',
      );
      quit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: stopper.signal,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
