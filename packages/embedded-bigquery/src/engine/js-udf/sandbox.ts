/**
 * The sandbox a JavaScript UDF runs in: QuickJS compiled to WebAssembly (quickjs-emscripten), one
 * QuickJS runtime per function. The user's code runs inside the WebAssembly instance's own linear
 * memory and sees only the ECMAScript built-ins: no require, no import, no process, no filesystem,
 * no network, no timers, and no object of the host's (values cross as strings only). Each call has
 * a time limit (an interrupt handler QuickJS polls) and each function a memory and stack limit
 * (QuickJS's allocator refuses past them), so a loop or an allocation ends the query with
 * BigQuery's kind of error instead of hanging or exhausting the server. node:vm would not do: it
 * shares the host's heap and process, and its contexts are not a security boundary.
 */
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import { BigQueryApiError } from '../types.js';
import { PRELUDE } from './prelude.js';
import type { JsType } from './js-types.js';

export interface SandboxLimits {
  /** Wall-clock time one row's call may run (less up to TICK_MILLIS: the limit restarts between rows only every TICK_MILLIS). */
  callMillis: number;
  /** Heap one function's runtime may allocate. */
  memoryBytes: number;
  /** Native stack one call may use (deep recursion fails with a RangeError-like InternalError). */
  stackBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { callMillis: 5_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 1024 * 1024 };
/** The prelude restarts the time limit at most this often, so a row gets between callMillis minus this and callMillis. */
export const TICK_MILLIS = 250;

let modulePromise: Promise<QuickJSWASMModule> | undefined;

/** The WebAssembly QuickJS module, loaded once per process on the first JavaScript UDF. */
function quickJs(): Promise<QuickJSWASMModule> {
  // the release build of QuickJS with its .wasm file beside it (the package's own default export)
  modulePromise ??= newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync'));
  return modulePromise;
}

interface Dumped {
  name?: unknown;
  message?: unknown;
}

export class JsUdfSandbox {
  private deadline = 0;
  private disposed = false;

  private constructor(
    private readonly label: string,
    private readonly runtime: QuickJSRuntime,
    private readonly context: QuickJSContext,
    private readonly caller: QuickJSHandle,
    private readonly limits: SandboxLimits,
  ) {}

  /**
   * Compiles the function: `label` names it in error messages (`f(STRING)`), `params` are the
   * argument names the body reads, `body` the JavaScript text of CREATE FUNCTION ... AS.
   */
  static async create(label: string, params: string[], body: string, argTypes: JsType[], returnType: JsType, libraries: { uri: string; code: string }[] = [], limits: SandboxLimits = DEFAULT_LIMITS): Promise<JsUdfSandbox> {
    const module = await quickJs();
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    const context = runtime.newContext();
    let sandbox: JsUdfSandbox | undefined;
    try {
      let deadline = Date.now() + limits.callMillis;
      runtime.setInterruptHandler(() => Date.now() > (sandbox ? sandbox.deadline : deadline));
      context.unwrapResult(context.evalCode(PRELUDE, 'prelude.js')).dispose();
      const define = context.getProp(context.global, '__bq_define');
      context.setProp(context.global, '__bq_define', context.undefined);
      // OPTIONS(library = ...): each library's code at the global scope, in the same sandbox, before the body
      for (const lib of libraries) {
        deadline = Date.now() + limits.callMillis;
        const loaded = context.evalCode(lib.code, lib.uri);
        if (loaded.error) {
          const err = dumpError(context, loaded.error);
          define.dispose();
          throw new BigQueryApiError('invalidQuery', `${err.name}: ${err.message} in library ${lib.uri} of JavaScript function ${label}`);
        }
        loaded.value.dispose();
      }
      // everything crosses as strings: the prelude parses the JSON itself
      const handles = [JSON.stringify(params), body, JSON.stringify(argTypes), JSON.stringify(returnType)].map((v) => context.newString(v));
      handles.push(
        context.newFunction('tick', () => {
          if (sandbox) sandbox.deadline = Date.now() + limits.callMillis;
        }),
      );
      deadline = Date.now() + limits.callMillis;
      const result = context.callFunction(define, context.undefined, ...handles);
      handles.forEach((h) => h.dispose());
      define.dispose();
      if (result.error) {
        const err = dumpError(context, result.error);
        throw new BigQueryApiError('invalidQuery', `${err.name}: ${err.message} in the body of JavaScript function ${label}`);
      }
      sandbox = new JsUdfSandbox(label, runtime, context, result.value, limits);
      return sandbox;
    } catch (e) {
      if (!sandbox) {
        context.dispose();
        runtime.dispose();
      }
      throw e;
    }
  }

  /**
   * One chunk of rows: each row's argument JSON in, each row's result JSON (or null for NULL) out;
   * BigQuery's errors for what goes wrong. The time limit applies to each row's call.
   */
  callRows(argsJson: readonly string[]): (string | null)[] {
    if (this.disposed) throw new BigQueryApiError('invalidQuery', `JavaScript function ${this.label} is no longer defined`);
    const ctx = this.context;
    const arg = ctx.newString(`[${argsJson.join(',')}]`);
    this.deadline = Date.now() + this.limits.callMillis;
    const result = ctx.callFunction(this.caller, ctx.undefined, arg);
    arg.dispose();
    if (result.error) {
      const err = dumpError(ctx, result.error);
      throw this.callError(err);
    }
    const text = ctx.getString(result.value);
    result.value.dispose();
    // the caller is the prelude's: a JSON array of strings and nulls, whatever the user's code did
    const values = JSON.parse(text) as unknown;
    if (!Array.isArray(values) || values.length !== argsJson.length) throw new BigQueryApiError('internalError', `JavaScript function ${this.label} answered a chunk of rows with the wrong shape`);
    return values.map((v) => (typeof v === 'string' ? v : null));
  }

  /** One row (callRows of one). */
  call(argsJson: string): string | null {
    return this.callRows([argsJson])[0]!;
  }

  private callError(err: { name: string; message: string }): BigQueryApiError {
    if (err.name === 'InternalError' && err.message === 'interrupted') {
      return new BigQueryApiError('timeout', `User-defined function ${this.label} timed out: one call ran longer than ${this.limits.callMillis / 1000} s (the embedded BigQuery's limit for a JavaScript UDF call)`);
    }
    if (err.name === 'InternalError' && err.message === 'out of memory') {
      return new BigQueryApiError('resourcesExceeded', `Resources exceeded during query execution: UDF out of memory. JavaScript function ${this.label} allocated more than ${this.limits.memoryBytes / 1024 / 1024} MB.`);
    }
    if (err.name === 'BigQueryResultError') return new BigQueryApiError('invalidQuery', `Failed to coerce output value of JavaScript function ${this.label}: ${err.message}`);
    return new BigQueryApiError('invalidQuery', `${err.name}: ${err.message} at ${this.label}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.caller.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }
}

function dumpError(ctx: QuickJSContext, handle: QuickJSHandle): { name: string; message: string } {
  let d: unknown;
  try {
    d = ctx.dump(handle);
  } catch {
    d = undefined;
  } finally {
    handle.dispose();
  }
  if (d && typeof d === 'object') {
    const { name, message } = d as Dumped;
    return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : String(message) };
  }
  return { name: 'Error', message: String(d) };
}
