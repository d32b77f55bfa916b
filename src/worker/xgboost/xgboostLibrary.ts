// Runs in a trial worker: XGBoost's C API through koffi, synchronous calls only (koffi's async
// calls fail with XGBoost's per-thread state). The native edges that crash the process — a freed
// or wrong handle, a double free, a short buffer, a booster reused after an error — are refused
// here with an Error instead.
import koffi, { type LibraryHandle } from 'koffi'
import path from 'node:path'

export class XgboostError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'XgboostError'
  }
}

/** Training data in XGBoost's memory. Free it exactly once; a booster keeps its own reference. */
export interface XgbDMatrix {
  readonly rows: number
  readonly cols: number
  readonly freed: boolean
  /** Sets the `label` field (one float per row). */
  setLabels(labels: Float32Array): void
  free(): void
}

export interface XgbBooster {
  readonly freed: boolean
  setParam(name: string, value: string): void
  updateOneIter(iteration: number, dtrain: XgbDMatrix): void
  /** Predicted probabilities (rows × groups, row-major), copied out of XGBoost's buffer. */
  predict(dmat: XgbDMatrix): Float32Array
  /** XGBoost's own evaluation line, e.g. "[3]\tvalid-logloss:0.25". */
  evalOneIter(iteration: number, dmats: readonly XgbDMatrix[], names: readonly string[]): string
  boostedRounds(): number
  /** A new booster with the rounds [begin, end). */
  slice(begin: number, end: number): XgbBooster
  setAttr(key: string, value: string): void
  setFeatureNames(names: readonly string[]): void
  /** XGBoosterSaveModel: the format follows the file's extension (.json: JSON). */
  saveModel(file: string): void
  /** The model as XGBoost JSON text. */
  modelJson(): string
  free(): void
}

export interface XgboostLibrary {
  path: string
  version: [number, number, number]
  /** "xgboost 1.7.4 (libxgboost.so.0)" */
  describe(): string
  createDMatrix(data: Float32Array, rows: number, cols: number): XgbDMatrix
  createBooster(cache: readonly XgbDMatrix[]): XgbBooster
}

type Handle = bigint

/** "[09:51:21] ./src/gbm/gbm.cc:24: Unknown gbm type foo\nStack trace: …" → "Unknown gbm type foo". */
export function cleanXgboostMessage(raw: string): string {
  const text = raw.split(/\n\s*Stack trace:/)[0]
  return text
    .replace(/^\[\d\d:\d\d:\d\d\]\s*/, '')
    .replace(/^\S+:\d+:\s*/, '')
    .trim()
}

function bindings(lib: LibraryHandle) {
  return {
    version: lib.func('void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)'),
    lastError: lib.func('const char *XGBGetLastError()'),
    dmatrixCreateFromMat: lib.func(
      'int XGDMatrixCreateFromMat(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ void **out)',
    ),
    dmatrixSetFloatInfo: lib.func(
      'int XGDMatrixSetFloatInfo(void *handle, const char *field, const float *array, uint64_t len)',
    ),
    dmatrixNumRow: lib.func('int XGDMatrixNumRow(void *handle, _Out_ uint64_t *out)'),
    dmatrixNumCol: lib.func('int XGDMatrixNumCol(void *handle, _Out_ uint64_t *out)'),
    dmatrixFree: lib.func('int XGDMatrixFree(void *handle)'),
    boosterCreate: lib.func('int XGBoosterCreate(void **dmats, uint64_t len, _Out_ void **out)'),
    boosterSetParam: lib.func(
      'int XGBoosterSetParam(void *handle, const char *name, const char *value)',
    ),
    boosterUpdateOneIter: lib.func(
      'int XGBoosterUpdateOneIter(void *handle, int iter, void *dtrain)',
    ),
    boosterEvalOneIter: lib.func(
      'int XGBoosterEvalOneIter(void *handle, int iter, void **dmats, const char **names, uint64_t len, _Out_ const char **out)',
    ),
    boosterPredict: lib.func(
      'int XGBoosterPredict(void *handle, void *dmat, int option_mask, unsigned int ntree_limit, int training, _Out_ uint64_t *out_len, _Out_ void **out_result)',
    ),
    boosterBoostedRounds: lib.func('int XGBoosterBoostedRounds(void *handle, _Out_ int *out)'),
    boosterSlice: lib.func(
      'int XGBoosterSlice(void *handle, int begin, int end, int step, _Out_ void **out)',
    ),
    boosterSetAttr: lib.func(
      'int XGBoosterSetAttr(void *handle, const char *key, const char *value)',
    ),
    boosterSetStrFeatureInfo: lib.func(
      'int XGBoosterSetStrFeatureInfo(void *handle, const char *field, const char **features, uint64_t size)',
    ),
    boosterSaveModel: lib.func('int XGBoosterSaveModel(void *handle, const char *fname)'),
    boosterSaveModelToBuffer: lib.func(
      'int XGBoosterSaveModelToBuffer(void *handle, const char *config, _Out_ uint64_t *out_len, _Out_ void **out_dptr)',
    ),
    boosterFree: lib.func('int XGBoosterFree(void *handle)'),
  }
}

type Api = ReturnType<typeof bindings>

/** What the DMatrix and booster wrappers share: the bindings, the error check, the live DMatrices. */
interface Native {
  api: Api
  check(rc: number, call: string): void
  dmatrices: WeakMap<XgbDMatrix, { handle: Handle; freed: boolean }>
}

function dmatrixHandle(n: Native, d: XgbDMatrix): Handle {
  const s = n.dmatrices.get(d)
  if (!s) throw new TypeError('not a DMatrix created by this XGBoost library')
  if (s.freed) throw new XgboostError('DMatrix used after it was freed')
  return s.handle
}

/** Loads the library's symbols and checks it is XGBoost ≥ 1.7. */
function openLibrary(libraryPath: string): { api: Api; version: [number, number, number] } {
  let api: Api
  try {
    api = bindings(koffi.load(libraryPath))
  } catch (e) {
    throw new XgboostError(
      `cannot load XGBoost's library ${libraryPath}: ${(e as Error).message} (is it XGBoost's C library, with its dependencies such as libdmlc installed?)`,
    )
  }
  const [major, minor, patch] = [[0], [0], [0]]
  api.version(major, minor, patch)
  const version: [number, number, number] = [major[0], minor[0], patch[0]]
  if (version[0] < 1 || (version[0] === 1 && version[1] < 7))
    throw new XgboostError(
      `${libraryPath} is XGBoost ${version.join('.')}; HPO Studio needs XGBoost 1.7 or newer`,
    )
  return { api, version }
}

/** A DMatrix of `rows` × `cols` values (row-major; NaN is missing), checked against what XGBoost made. */
function createDMatrix(n: Native, data: Float32Array, rows: number, cols: number): XgbDMatrix {
  if (!(data instanceof Float32Array)) throw new TypeError('DMatrix data must be a Float32Array')
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1)
    throw new RangeError(`a DMatrix needs rows ≥ 1 and columns ≥ 1, got ${rows} × ${cols}`)
  if (data.length !== rows * cols)
    throw new RangeError(
      `DMatrix data has ${data.length} values, expected rows × columns = ${rows} × ${cols} = ${rows * cols}`,
    )
  for (let i = 0; i < data.length; i++)
    if (data[i] === Infinity || data[i] === -Infinity)
      throw new RangeError(`DMatrix data has an infinite value at row ${Math.floor(i / cols)}`)
  const out: (Handle | null)[] = [null]
  n.check(n.api.dmatrixCreateFromMat(data, rows, cols, NaN, out), 'XGDMatrixCreateFromMat')
  const state = { handle: out[0] as Handle, freed: false }
  const rowsOut = [0n]
  const colsOut = [0n]
  const d: XgbDMatrix = {
    rows,
    cols,
    get freed() {
      return state.freed
    },
    setLabels(labels) {
      const h = dmatrixHandle(n, d)
      if (!(labels instanceof Float32Array) || labels.length !== rows)
        throw new RangeError(
          `labels must be a Float32Array of ${rows} values (one per row), got ${labels.length}`,
        )
      n.check(n.api.dmatrixSetFloatInfo(h, 'label', labels, rows), 'XGDMatrixSetFloatInfo')
    },
    free() {
      if (state.freed) return
      state.freed = true
      n.check(n.api.dmatrixFree(state.handle), 'XGDMatrixFree')
    },
  }
  n.dmatrices.set(d, state)
  n.check(n.api.dmatrixNumRow(state.handle, rowsOut), 'XGDMatrixNumRow')
  n.check(n.api.dmatrixNumCol(state.handle, colsOut), 'XGDMatrixNumCol')
  if (Number(rowsOut[0]) !== rows || Number(colsOut[0]) !== cols) {
    d.free()
    throw new XgboostError(
      `XGBoost made a ${rowsOut[0]} × ${colsOut[0]} DMatrix from ${rows} × ${cols} values`,
    )
  }
  return d
}

function wrapBooster(n: Native, handle: Handle): XgbBooster {
  const state = { handle, freed: false, broken: null as string | null }
  // A booster whose call failed can crash the process on its next call: only free() is allowed.
  const use = (): Handle => {
    if (state.freed) throw new XgboostError('booster used after it was freed')
    if (state.broken)
      throw new XgboostError(`booster unusable after an earlier error: ${state.broken}`)
    return state.handle
  }
  const guarded = (rc: number, call: string): void => {
    try {
      n.check(rc, call)
    } catch (e) {
      state.broken = (e as Error).message
      throw e
    }
  }
  const b: XgbBooster = {
    get freed() {
      return state.freed
    },
    setParam(name, value) {
      if (typeof value !== 'string') throw new TypeError(`param ${name}: value must be a string`)
      guarded(n.api.boosterSetParam(use(), name, value), 'XGBoosterSetParam')
    },
    updateOneIter(iteration, dtrain) {
      const h = use()
      const dh = dmatrixHandle(n, dtrain)
      if (!Number.isInteger(iteration) || iteration < 0)
        throw new RangeError(`iteration must be an integer ≥ 0, got ${iteration}`)
      guarded(n.api.boosterUpdateOneIter(h, iteration, dh), 'XGBoosterUpdateOneIter')
    },
    predict(dmat) {
      const h = use()
      const dh = dmatrixHandle(n, dmat)
      const len = [0n]
      const ptr: (Handle | null)[] = [null]
      guarded(n.api.boosterPredict(h, dh, 0, 0, 0, len, ptr), 'XGBoosterPredict')
      const count = Number(len[0])
      if (count === 0 || count % dmat.rows !== 0 || ptr[0] === null)
        throw new XgboostError(`XGBoost predicted ${count} values for ${dmat.rows} rows`)
      return new Float32Array(koffi.view(ptr[0], count * 4).slice(0))
    },
    evalOneIter(iteration, dmats, names) {
      const h = use()
      if (dmats.length !== names.length || dmats.length === 0)
        throw new RangeError(
          `evalOneIter needs one name per DMatrix, got ${dmats.length} and ${names.length}`,
        )
      const handles = dmats.map((d) => dmatrixHandle(n, d))
      const out: (string | null)[] = [null]
      guarded(
        n.api.boosterEvalOneIter(h, iteration, handles, [...names], dmats.length, out),
        'XGBoosterEvalOneIter',
      )
      return out[0] ?? ''
    },
    boostedRounds() {
      const out = [0]
      guarded(n.api.boosterBoostedRounds(use(), out), 'XGBoosterBoostedRounds')
      return out[0]
    },
    slice(begin, end) {
      const h = use()
      if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end <= begin)
        throw new RangeError(`slice needs 0 ≤ begin < end, got [${begin}, ${end})`)
      const out: (Handle | null)[] = [null]
      n.check(n.api.boosterSlice(h, begin, end, 1, out), 'XGBoosterSlice')
      return wrapBooster(n, out[0] as Handle)
    },
    setAttr(key, value) {
      guarded(n.api.boosterSetAttr(use(), key, value), 'XGBoosterSetAttr')
    },
    setFeatureNames(names) {
      guarded(
        n.api.boosterSetStrFeatureInfo(use(), 'feature_name', [...names], names.length),
        'XGBoosterSetStrFeatureInfo',
      )
    },
    saveModel(file) {
      guarded(n.api.boosterSaveModel(use(), file), 'XGBoosterSaveModel')
    },
    modelJson() {
      const len = [0n]
      const ptr: (Handle | null)[] = [null]
      guarded(
        n.api.boosterSaveModelToBuffer(use(), '{"format": "json"}', len, ptr),
        'XGBoosterSaveModelToBuffer',
      )
      const count = Number(len[0])
      if (ptr[0] === null || count === 0) throw new XgboostError('XGBoost saved an empty model')
      return Buffer.from(koffi.view(ptr[0], count)).toString('utf8')
    },
    free() {
      if (state.freed) return
      state.freed = true
      n.check(n.api.boosterFree(state.handle), 'XGBoosterFree')
    },
  }
  return b
}

const loaded = new Map<string, XgboostLibrary>()

/** Loads libxgboost (once per path per process) and checks it is XGBoost ≥ 1.7. */
export function loadXgboostLibrary(libraryPath: string): XgboostLibrary {
  const cached = loaded.get(libraryPath)
  if (cached) return cached
  const { api, version } = openLibrary(libraryPath)
  const n: Native = {
    api,
    check(rc, call) {
      if (rc === 0) return
      const raw = (api.lastError() as string | null) ?? ''
      throw new XgboostError(cleanXgboostMessage(raw) || `${call} failed (code ${rc})`)
    },
    dmatrices: new WeakMap(),
  }
  const library: XgboostLibrary = {
    path: libraryPath,
    version,
    describe: () => `xgboost ${version.join('.')} (${path.basename(libraryPath)})`,
    createDMatrix: (data, rows, cols) => createDMatrix(n, data, rows, cols),
    createBooster(cache) {
      const handles = cache.map((d) => dmatrixHandle(n, d))
      const out: (Handle | null)[] = [null]
      n.check(api.boosterCreate(handles, handles.length, out), 'XGBoosterCreate')
      return wrapBooster(n, out[0] as Handle)
    },
  }
  loaded.set(libraryPath, library)
  return library
}
