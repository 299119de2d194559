-- An account can be disabled (it gets no token; a disabled PLATFORM account's platform keys are
-- refused too) and enabled again; nothing is deleted.
alter table account add column disabled_at timestamptz;

-- Failed sign-ins per key ('user:<name>', 'address:<ip>') in a fixed window, kept
-- here so that every registry replica counts the same attempts. An attempt is counted before its
-- password is compared; a successful one takes its count back.
create table login_attempt (
    key          text primary key,
    window_start timestamptz not null,
    attempts     integer not null check (attempts >= 0)
);
create index login_attempt_window_idx on login_attempt (window_start);
