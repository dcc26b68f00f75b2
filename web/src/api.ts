// Typed client for the Cam2Drive public API v1 (docs/API.md).
// The web app talks to the backend only through this module.

export type OrgKind = 'platform' | 'distributor' | 'installer' | 'client';
export type ThemeMode = 'light' | 'dark' | 'system';
export type Language = 'fr' | 'en';
export type Density = 'comfortable' | 'compact';
export type RowsPerPage = 10 | 25 | 50 | 100;
export type BuiltinRole = 'admin' | 'technician' | 'viewer' | '';

export interface Preferences {
  theme: ThemeMode;
  language: Language;
  density: Density;
  rows_per_page: RowsPerPage;
}

export interface User {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role_id: string;
  role_name: string;
  status: 'invited' | 'active';
  created_at: string;
  last_login_at?: string | null;
}

export interface Org {
  id: string;
  parent_id: string;
  kind: OrgKind;
  name: string;
  email: string;
  address: string;
  phone: string;
  created_at: string;
}

export interface Me {
  user: User;
  org: Org;
  permissions: string[];
  preferences: Preferences;
  csrf_token?: string;
}

export interface Site {
  id: string;
  org_id: string;
  name: string;
  timezone: string;
  address: string;
  recorder_count: number;
  created_at: string;
}

export interface Role {
  id: string;
  org_id: string;
  name: string;
  builtin: BuiltinRole;
  permissions: string[];
  user_count: number;
}

export interface AuditEvent {
  id: string;
  created_at: string;
  action: string;
  actor_id: string;
  actor_email: string;
  target: string;
  ip: string;
  detail: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at?: string | null;
}

export interface CreatedToken {
  id: string;
  name: string;
  token: string;
}

export interface Permission {
  key: string;
  group: string;
}

export interface PasswordPolicy {
  min_length: number;
  rules: string[];
}

export interface PasswordToken {
  email: string;
  purpose: 'invite' | 'reset';
  expires_at: string;
}

export type Manufacturer = 'dahua' | 'hikvision' | 'uniview' | 'axis' | 'reolink' | 'other';
export type RecorderType = 'nvr' | 'dvr' | 'ip_camera';
export type RecorderStatus = 'online' | 'offline' | 'never';

/** The virtual disk attached to a recorder, as summarised in `Recorder`. */
export interface RecorderDisk {
  id: string;
  capacity_gb: number;
  camera_limit: number;
  used_bytes: number;
  overwrite: boolean;
}

export interface Recorder {
  id: string;
  org_id: string;
  site_id: string;
  site_name: string;
  name: string;
  manufacturer: Manufacturer;
  type: RecorderType;
  camera_count: number;
  retention_days: number;
  virtual_disk: RecorderDisk | null;
  status: RecorderStatus;
  created_at: string;
}

export interface RecorderBody {
  name: string;
  manufacturer: Manufacturer;
  site_id: string;
  type: RecorderType;
  camera_count: number;
  retention_days?: number;
}

/** FTP/SFTP settings a recorder is configured with (wizard step 5). */
export interface Connection {
  host: string;
  ftp_port: number;
  sftp_port: number;
  username: string;
  password: string;
  docs_url: string;
  /** SHA256 fingerprints of the SFTP host keys (recorders such as Axis pin them). */
  sftp_host_keys?: string[];
}

export interface HealthEvent {
  kind: 'login_failed' | 'refused';
  reason: string;
  message: string;
  path: string;
  ip: string;
  at: string;
}

export interface Health {
  status: RecorderStatus;
  last_upload_at?: string | null;
  last_login_at?: string | null;
  uploads: number;
  failed_logins: number;
  refused_uploads: number;
  recent: HealthEvent[];
}

export interface Camera {
  id: string;
  recorder_id: string;
  recorder_name: string;
  site_id: string;
  site_name: string;
  number: number;
  name: string;
  cloud_recording: boolean;
  ai_enabled: boolean;
  /** In the HOLO4 beta (needs AI on). */
  holo4: boolean;
  /** HOLO4 algorithm ids chosen for the camera, in catalogue order (kept when it leaves the beta). */
  algorithms: string[];
  /** Users allowed to see the camera; empty: every user holding the permission. */
  allowed_users: string[];
}

export interface CameraFilter {
  recorder_id?: string;
  site_id?: string;
  name?: string;
  number?: string | number;
  recorder_name?: string;
  site_name?: string;
}

export interface CameraPatch {
  name?: string;
  cloud_recording?: boolean;
  ai_enabled?: boolean;
  holo4?: boolean;
  algorithms?: string[];
  allowed_users?: string[];
}

/** A name in both languages. */
export interface Names {
  en: string;
  fr: string;
}

export interface AiAlgorithm {
  id: string;
  name: string;
  names: Names;
}

export interface AiPackage {
  id: string;
  name: string;
  names: Names;
  algorithms: AiAlgorithm[];
}

/** GET /ai/packages: the HOLO4 beta catalogue. */
export interface AiCatalogue {
  version: string;
  packages: AiPackage[];
}

/** GET /ai/status: whether the model runtime runs on this server. */
export interface AiStatus {
  available: boolean;
  reason_code: '' | 'ai_runtime_missing' | 'ai_models_missing' | 'ai_unavailable';
  reason: string;
  install: string;
}

export interface AiSubscription {
  id: string;
  org_id: string;
  status: 'active' | 'cancelled';
  camera_limit: number;
  cameras_used: number;
  /** HOLO4 package ids the subscription includes. */
  packages: string[];
  created_at: string;
  cancelled_at?: string;
}

/** A detection type of the recordings filter (HOLO4 algorithm ids may follow). */
export type DetectionType = 'motion' | 'person' | 'vehicle' | 'animal';

/** Signed URLs of a recording's media ("" when not produced yet), valid until expires_at. */
export interface RecordingMedia {
  video_url: string;
  image_url: string;
  thumbnail_url: string;
  poster_url: string;
  /** A sprite of 10 preview frames side by side. */
  strip_url: string;
  download_url: string;
  download_filename: string;
  expires_at: string;
  /** Seconds the URLs had left when the server answered. */
  expires_in?: number;
  /** When the URLs stop working, by this browser's clock (ms): set on receipt from expires_in, not sent by the server. */
  valid_until?: number;
}

export interface Detection {
  type: string;
  label: string;
  source: 'recorder' | 'model' | 'rule';
  score: number;
  box: number[];
  start_offset_ms: number;
  end_offset_ms: number;
}

export interface Recording {
  id: string;
  camera_id: string;
  camera_name: string;
  site_id: string;
  site_name: string;
  recorder_id: string;
  start: string;
  end: string;
  kind: 'clip' | 'snapshot';
  event_type: string;
  status: 'processing' | 'ready' | 'failed';
  /** Why a failed recording could not be processed (in the caller's language). */
  status_reason?: string;
  size: number;
  source_path: string;
  duration_ms: number;
  width: number;
  height: number;
  detection_types: string[];
  media: RecordingMedia;
  /** Only when one recording is read. */
  detections?: Detection[];
}

/** The filters shared by the recordings list, its calendar and its histogram. */
export interface RecordingFilter {
  site_id?: string;
  camera_ids?: string[];
  /** Absent: every type (no detection filter). */
  detections?: string[];
}

export interface RecordingCalendar {
  month: string;
  timezone: string;
  /** Days (YYYY-MM-DD) of the month with recordings. */
  days: string[];
  /** The last day with recordings, "" when there is none. */
  last_day: string;
}

export interface RecordingHistogram {
  date: string;
  timezone: string;
  buckets: { start: string; count: number }[];
}

export interface List<T> {
  items: T[];
  total: number;
  next_cursor: string;
}

export interface Page {
  limit?: number;
  offset?: number;
  cursor?: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  retry_after_seconds?: number;
}

/** An error answered by the API (or a network failure, code "network"). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly retryAfterSeconds?: number;

  constructor(status: number, body: ErrorBody) {
    super(body.message || body.code);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.fields = body.fields ?? {};
    this.retryAfterSeconds = body.retry_after_seconds;
  }
}

export const CSRF_COOKIE = 'c2d_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
export const API_BASE = '/api/v1';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'throttled',
  500: 'internal',
  503: 'unavailable',
};

/** Reads one cookie from a `document.cookie`-style string. */
export function readCookie(name: string, cookieString: string): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** Builds a query string from defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface ApiClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Current UI language, sent as Accept-Language. */
  getLanguage?: () => string;
  /** Cookie string (defaults to document.cookie). */
  getCookies?: () => string;
  /** Called when a request answers 401 unauthenticated (session missing or expired). */
  onUnauthenticated?: (err: ApiError) => void;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export class ApiClient {
  private opts: ApiClientOptions;
  /** Last csrf_token seen in a login or /me answer; used when the cookie is not readable. */
  private csrfToken: string | undefined;

  constructor(opts: ApiClientOptions = {}) {
    this.opts = { ...opts };
  }

  configure(opts: Partial<ApiClientOptions>): void {
    this.opts = { ...this.opts, ...opts };
  }

  setCsrfToken(token: string | undefined): void {
    this.csrfToken = token;
  }

  private csrf(): string | undefined {
    const cookies = this.opts.getCookies
      ? this.opts.getCookies()
      : typeof document !== 'undefined'
        ? document.cookie
        : '';
    return readCookie(CSRF_COOKIE, cookies) ?? this.csrfToken;
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const lang = this.opts.getLanguage?.();
    if (lang) headers['Accept-Language'] = lang;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD') {
      const token = this.csrf();
      if (token) headers[CSRF_HEADER] = token;
    }
    const doFetch = this.opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
    let res: Response;
    try {
      res = await doFetch(`${this.opts.baseUrl ?? API_BASE}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, { code: 'network', message: e instanceof Error ? e.message : String(e) });
    }
    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined as T;
      }
    }
    const err = await toApiError(res);
    if (err.status === 401 && err.code === 'unauthenticated') {
      this.opts.onUnauthenticated?.(err);
    }
    throw err;
  }

  get<T>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  patch<T>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  del<T = void>(path: string) {
    return this.request<T>('DELETE', path);
  }

  // --- authentication -------------------------------------------------------
  async login(email: string, password: string): Promise<Me> {
    const me = await this.post<Me>('/auth/login', { email, password });
    this.csrfToken = me?.csrf_token ?? this.csrfToken;
    return me;
  }
  async logout(): Promise<void> {
    try {
      await this.post<void>('/auth/logout');
    } finally {
      this.csrfToken = undefined;
    }
  }
  forgotPassword(email: string) {
    return this.post<void>('/auth/forgot-password', { email });
  }
  passwordToken(token: string) {
    return this.get<PasswordToken>(`/auth/password-token${query({ token })}`);
  }
  setPassword(token: string, password: string) {
    return this.post<void>('/auth/set-password', { token, password });
  }
  passwordPolicy() {
    return this.get<PasswordPolicy>('/password-policy');
  }

  // --- me -------------------------------------------------------------------
  async me(): Promise<Me> {
    const me = await this.get<Me>('/me');
    this.csrfToken = me?.csrf_token ?? this.csrfToken;
    return me;
  }
  updatePreferences(p: Partial<Preferences>) {
    return this.patch<Preferences>('/me/preferences', p);
  }
  changePassword(old_password: string, new_password: string, confirm_password: string) {
    return this.post<void>('/me/password', { old_password, new_password, confirm_password });
  }
  listTokens(page: Page = {}) {
    return this.get<List<ApiToken>>(`/me/tokens${query({ ...page })}`);
  }
  createToken(name: string) {
    return this.post<CreatedToken>('/me/tokens', { name });
  }
  revokeToken(id: string) {
    return this.del(`/me/tokens/${encodeURIComponent(id)}`);
  }

  // --- catalogues -------------------------------------------------------------
  permissions() {
    return this.get<{ items: Permission[] }>('/permissions');
  }
  timezones() {
    return this.get<{ items: string[] }>('/timezones');
  }

  // --- organisations ----------------------------------------------------------
  createOrg(body: {
    parent_id: string;
    kind: OrgKind;
    name: string;
    email: string;
    language?: Language;
    address?: string;
    phone?: string;
  }) {
    return this.post<Org>('/orgs', body);
  }
  getOrg(orgId: string) {
    return this.get<Org>(`/orgs/${seg(orgId)}`);
  }
  updateOrg(orgId: string, body: { name?: string; address?: string; phone?: string }) {
    return this.patch<Org>(`/orgs/${seg(orgId)}`, body);
  }
  listChildren(orgId: string, params: { kind?: OrgKind; q?: string } & Page = {}) {
    return this.get<List<Org>>(`/orgs/${seg(orgId)}/children${query({ ...params })}`);
  }

  // --- sites ------------------------------------------------------------------
  listSites(orgId: string, params: { name?: string; address?: string; timezone?: string } & Page = {}) {
    return this.get<List<Site>>(`/orgs/${seg(orgId)}/sites${query({ ...params })}`);
  }
  createSite(orgId: string, body: { name: string; timezone: string; address: string }) {
    return this.post<Site>(`/orgs/${seg(orgId)}/sites`, body);
  }
  updateSite(orgId: string, siteId: string, body: { name?: string; timezone?: string; address?: string }) {
    return this.patch<Site>(`/orgs/${seg(orgId)}/sites/${seg(siteId)}`, body);
  }
  deleteSite(orgId: string, siteId: string) {
    return this.del(`/orgs/${seg(orgId)}/sites/${seg(siteId)}`);
  }

  // --- users ------------------------------------------------------------------
  listUsers(orgId: string, params: { role_id?: string; q?: string } & Page = {}) {
    return this.get<List<User>>(`/orgs/${seg(orgId)}/users${query({ ...params })}`);
  }
  createUser(orgId: string, body: { email: string; role_id: string; name?: string; language?: Language }) {
    return this.post<User>(`/orgs/${seg(orgId)}/users`, body);
  }
  updateUser(orgId: string, userId: string, body: { role_id?: string; name?: string }) {
    return this.patch<User>(`/orgs/${seg(orgId)}/users/${seg(userId)}`, body);
  }
  deleteUser(orgId: string, userId: string) {
    return this.del(`/orgs/${seg(orgId)}/users/${seg(userId)}`);
  }
  resendInvitation(orgId: string, userId: string) {
    return this.post<void>(`/orgs/${seg(orgId)}/users/${seg(userId)}/invitation`);
  }

  // --- roles ------------------------------------------------------------------
  listRoles(orgId: string, page: Page = {}) {
    return this.get<List<Role>>(`/orgs/${seg(orgId)}/roles${query({ ...page })}`);
  }
  createRole(orgId: string, body: { name: string; permissions: string[] }) {
    return this.post<Role>(`/orgs/${seg(orgId)}/roles`, body);
  }
  updateRole(orgId: string, roleId: string, body: { name?: string; permissions?: string[] }) {
    return this.patch<Role>(`/orgs/${seg(orgId)}/roles/${seg(roleId)}`, body);
  }
  deleteRole(orgId: string, roleId: string) {
    return this.del(`/orgs/${seg(orgId)}/roles/${seg(roleId)}`);
  }

  // --- recorders --------------------------------------------------------------
  listRecorders(orgId: string, params: { site_id?: string; q?: string } & Page = {}) {
    return this.get<List<Recorder>>(`/orgs/${seg(orgId)}/recorders${query({ ...params })}`);
  }
  getRecorder(orgId: string, recorderId: string) {
    return this.get<Recorder>(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}`);
  }
  createRecorder(orgId: string, body: RecorderBody) {
    return this.post<Recorder>(`/orgs/${seg(orgId)}/recorders`, body);
  }
  updateRecorder(orgId: string, recorderId: string, body: Partial<RecorderBody>) {
    return this.patch<Recorder>(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}`, body);
  }
  deleteRecorder(orgId: string, recorderId: string) {
    return this.del(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}`);
  }
  getConnection(orgId: string, recorderId: string) {
    return this.get<Connection>(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}/connection`);
  }
  regenerateConnection(orgId: string, recorderId: string) {
    return this.post<Connection>(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}/connection/regenerate`);
  }
  getRecorderHealth(orgId: string, recorderId: string) {
    return this.get<Health>(`/orgs/${seg(orgId)}/recorders/${seg(recorderId)}/health`);
  }

  // --- cameras ----------------------------------------------------------------
  listCameras(orgId: string, params: CameraFilter & Page = {}) {
    return this.get<List<Camera>>(`/orgs/${seg(orgId)}/cameras${query({ ...params })}`);
  }
  getCamera(orgId: string, cameraId: string) {
    return this.get<Camera>(`/orgs/${seg(orgId)}/cameras/${seg(cameraId)}`);
  }
  updateCamera(orgId: string, cameraId: string, body: CameraPatch) {
    return this.patch<Camera>(`/orgs/${seg(orgId)}/cameras/${seg(cameraId)}`, body);
  }

  // --- AI ---------------------------------------------------------------------
  aiPackages() {
    return this.get<AiCatalogue>('/ai/packages');
  }
  aiStatus() {
    return this.get<AiStatus>('/ai/status');
  }
  listAiSubscriptions(orgId: string) {
    return this.get<List<AiSubscription>>(`/orgs/${seg(orgId)}/ai-subscriptions`);
  }
  createAiSubscription(orgId: string, body: { camera_limit: number; packages?: string[] }) {
    return this.post<AiSubscription>(`/orgs/${seg(orgId)}/ai-subscriptions`, body);
  }
  updateAiSubscription(orgId: string, id: string, body: { camera_limit?: number; packages?: string[] }) {
    return this.patch<AiSubscription>(`/orgs/${seg(orgId)}/ai-subscriptions/${seg(id)}`, body);
  }
  cancelAiSubscription(orgId: string, id: string) {
    return this.post<AiSubscription>(`/orgs/${seg(orgId)}/ai-subscriptions/${seg(id)}/cancel`);
  }

  // --- recordings -------------------------------------------------------------
  listRecordings(orgId: string, params: RecordingFilter & { from?: string; to?: string } & Page = {}) {
    return this.get<List<Recording>>(`/orgs/${seg(orgId)}/recordings${recordingQuery(params)}`).then((l) => (l?.items?.forEach(stampMedia), l));
  }
  getRecording(orgId: string, recordingId: string) {
    return this.get<Recording>(`/orgs/${seg(orgId)}/recordings/${seg(recordingId)}`).then(stampMedia);
  }
  recordingCalendar(orgId: string, params: RecordingFilter & { month?: string } = {}) {
    return this.get<RecordingCalendar>(`/orgs/${seg(orgId)}/recordings/calendar${recordingQuery(params)}`);
  }
  recordingHistogram(orgId: string, params: RecordingFilter & { date?: string } = {}) {
    return this.get<RecordingHistogram>(`/orgs/${seg(orgId)}/recordings/histogram${recordingQuery(params)}`);
  }

  // --- audit ------------------------------------------------------------------
  listAudit(orgId: string, params: { action?: string } & Page = {}) {
    return this.get<List<AuditEvent>>(`/orgs/${seg(orgId)}/audit${query({ ...params })}`);
  }
}

/** The query of a recordings call: lists joined with commas, empty values left out. */
export function recordingQuery(params: object): string {
  const flat: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) flat[k] = v.length ? v.join(',') : undefined;
    else if (typeof v === 'string' || typeof v === 'number') flat[k] = v;
  }
  return query(flat);
}

function seg(id: string): string {
  return encodeURIComponent(id);
}

/** Dates a recording's media URLs by this browser's clock (which may differ from the server's). */
function stampMedia(r: Recording): Recording {
  const m = r?.media;
  if (m) m.valid_until = typeof m.expires_in === 'number' ? Date.now() + m.expires_in * 1000 : Date.parse(m.expires_at);
  return r;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | undefined;
  try {
    const text = await res.text();
    body = text ? (JSON.parse(text) as Partial<ErrorBody>) : undefined;
  } catch {
    body = undefined;
  }
  const code = typeof body?.code === 'string' && body.code ? body.code : (CODE_BY_STATUS[res.status] ?? 'internal');
  let retry = typeof body?.retry_after_seconds === 'number' ? body.retry_after_seconds : undefined;
  if (retry === undefined && res.status === 429) {
    const h = Number(res.headers.get('Retry-After'));
    if (Number.isFinite(h) && h > 0) retry = h;
  }
  return new ApiError(res.status, {
    code,
    message: typeof body?.message === 'string' ? body.message : '',
    fields: body?.fields && typeof body.fields === 'object' ? body.fields : undefined,
    retry_after_seconds: retry,
  });
}

/** The shared client used by the app (configured in main.tsx). */
export const api = new ApiClient();
