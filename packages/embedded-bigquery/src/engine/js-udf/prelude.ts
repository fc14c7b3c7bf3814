/**
 * The JavaScript that runs inside each UDF's sandbox before the user's code: it turns the argument
 * JSON into BigQuery's JavaScript values, calls the user's function body, and turns its return value
 * back into JSON of the declared type (or throws a BigQueryResultError saying why it cannot).
 * It keeps its own references to JSON, Date and friends, so a UDF that replaces them only changes
 * what its own code sees. It runs in the sandbox, never in the host.
 */
export const PRELUDE = String.raw`(function () {
  'use strict';
  const parse = JSON.parse, stringify = JSON.stringify, isArray = Array.isArray, DateC = Date, NumberC = Number, StringC = String;
  const dateNow = Date.now, isInteger = Number.isInteger, isSafeInteger = Number.isSafeInteger, ErrorC = Error, FunctionC = Function, BigIntC = BigInt;
  class BigQueryResultError extends ErrorC {}
  BigQueryResultError.prototype.name = 'BigQueryResultError';
  const fail = (what, v, kind) => { throw new BigQueryResultError(what + ' (' + (v === null ? 'null' : typeof v) + ') cannot be converted to ' + kind); };
  const pad = (n, w) => { const s = StringC(n); return s.length >= w ? s : '0'.repeat(w - s.length) + s; };
  const TS = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-]\d\d)(?::?(\d\d))?$/;

  function decode(v, t) {
    if (v === null || v === undefined) return null;
    switch (t.kind) {
      case 'FLOAT64':
        return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NumberC(v);
      case 'NUMERIC': case 'BIGNUMERIC': {
        // BigQuery: a Number when the value is an integer within 2^53, else its digits as a String
        let s = StringC(v);
        if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
        if (s.indexOf('.') < 0) { const n = NumberC(s); if (isSafeInteger(n) || n === 9007199254740992 || n === -9007199254740992) return n; }
        return s;
      }
      case 'DATE': {
        const m = /^(\d{4,})-(\d\d)-(\d\d)$/.exec(v);
        const d = new DateC(0);
        d.setUTCFullYear(NumberC(m[1]), NumberC(m[2]) - 1, NumberC(m[3]));
        return d;
      }
      case 'TIMESTAMP': {
        const m = TS.exec(v);
        const d = new DateC(0);
        d.setUTCFullYear(NumberC(m[1]), NumberC(m[2]) - 1, NumberC(m[3]));
        d.setUTCHours(NumberC(m[4]), NumberC(m[5]), NumberC(m[6]), NumberC(((m[7] || '') + '000').slice(0, 3)));
        const off = (NumberC(m[8]) * 60 + (m[8][0] === '-' ? -1 : 1) * NumberC(m[9] || 0)) * 60000;
        return new DateC(d.getTime() - off);
      }
      case 'ARRAY': return v.map((e) => decode(e, t.element));
      case 'STRUCT': { const o = {}; for (const [name, ft] of t.fields) o[name] = decode(v[name], ft); return o; }
      default: return v;
    }
  }

  function base64(v, what) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) fail(what, v, 'BYTES (a base64 String)');
    return v;
  }

  function dateText(v, what, kind) {
    if (!(v instanceof DateC) || NumberC.isNaN(v.getTime())) fail(what, v, kind + ' (a Date)');
    const day = pad(v.getUTCFullYear(), 4) + '-' + pad(v.getUTCMonth() + 1, 2) + '-' + pad(v.getUTCDate(), 2);
    if (kind === 'DATE') return day;
    return day + ' ' + pad(v.getUTCHours(), 2) + ':' + pad(v.getUTCMinutes(), 2) + ':' + pad(v.getUTCSeconds(), 2) + '.' + pad(v.getUTCMilliseconds(), 3) + '+00';
  }

  function encode(v, t, what) {
    if (v === null || v === undefined) return null;
    switch (t.kind) {
      case 'STRING':
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean') return StringC(v);
        return fail(what, v, 'STRING');
      case 'BOOL': return typeof v === 'boolean' ? v : fail(what, v, 'BOOL');
      case 'FLOAT64':
        if (typeof v !== 'number') return fail(what, v, 'FLOAT64');
        return NumberC.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
      case 'INT64':
        if (typeof v === 'number' && isInteger(v)) return isSafeInteger(v) ? StringC(v) : BigIntC(v).toString();
        if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
        return fail(what, v, 'INT64 (an integral Number or a String of digits)');
      case 'NUMERIC': case 'BIGNUMERIC':
        if (typeof v === 'number' && NumberC.isFinite(v)) return StringC(v);
        if (typeof v === 'string' && /^-?(\d+\.?\d*|\.\d+)$/.test(v)) return v;
        return fail(what, v, t.kind);
      case 'BYTES': return base64(v, what);
      case 'DATE': case 'TIMESTAMP': return dateText(v, what, t.kind);
      case 'JSON': { const s = stringify(v); return s === undefined ? null : parse(s); }
      case 'ARRAY':
        if (!isArray(v)) return fail(what, v, 'ARRAY');
        return v.map((e, i) => {
          if (e === null || e === undefined) throw new BigQueryResultError('Array cannot have a null element; error in writing ' + what + '[' + i + ']');
          return encode(e, t.element, what + '[' + i + ']');
        });
      case 'STRUCT': {
        if (typeof v !== 'object' || isArray(v)) return fail(what, v, 'STRUCT');
        const o = {};
        for (const [name, ft] of t.fields) o[name] = encode(v[name], ft, what + '.' + name);
        return o;
      }
      default: return fail(what, v, t.kind);
    }
  }

  // defines the user's function once; the host keeps the returned caller and drops this global.
  // The caller takes a chunk of rows (a JSON array of argument objects) and gives back a JSON array
  // of each row's result JSON (or null); tick() restarts the host's time limit for the row being called.
  globalThis.__bq_define = function (paramsJson, body, argTypesJson, returnTypeJson, tick) {
    const params = parse(paramsJson), argTypes = parse(argTypesJson), returnType = parse(returnTypeJson);
    const fn = new FunctionC(...params, body);
    return function (rowsJson) {
      const rows = parse(rowsJson);
      const out = new Array(rows.length);
      let last = dateNow();
      for (let k = 0; k < rows.length; k++) {
        // a call into the host per row would cost more than most rows: only once 250 ms have passed
        const now = dateNow();
        if (now - last >= 250) { tick(); last = now; }
        const a = rows[k];
        const r = fn.apply(null, argTypes.map((t, i) => decode(a['a' + i], t)));
        out[k] = r === null || r === undefined ? null : stringify({ v: encode(r, returnType, 'the result') });
      }
      return stringify(out);
    };
  };
})();`;
