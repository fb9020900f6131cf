//! The shared Redis store: every update is one server-side Lua script (atomic), and the clock
//! is Redis's own `TIME`, so several gateway instances share exact counters.

use super::gcra::{Decision, Params};
use redis::Script;
use redis::aio::ConnectionManager;

const GCRA: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local emission = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tolerance then
  return {0, tat - now - tolerance}
end
local nxt = tat + emission
redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.floor((nxt - now) / 1000) + 1000)
return {1, 0}
"#;

const INCR_BELOW: &str = r#"
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local by = tonumber(ARGV[1])
if cur >= tonumber(ARGV[2]) then return 0 end
redis.call('INCRBY', KEYS[1], by)
redis.call('EXPIREAT', KEYS[1], tonumber(ARGV[3]))
return 1
"#;

const ADD: &str = r#"
redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
redis.call('EXPIREAT', KEYS[1], tonumber(ARGV[2]))
return 1
"#;

/// Redis-backed counters.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
    gcra: Script,
    incr_below: Script,
    add: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl RedisStore {
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("redis: {e}"))?;
        let conn = ConnectionManager::new(client)
            .await
            .map_err(|e| format!("redis: {e}"))?;
        Ok(Self {
            conn,
            prefix: prefix.to_string(),
            gcra: Script::new(GCRA),
            incr_below: Script::new(INCR_BELOW),
            add: Script::new(ADD),
        })
    }

    fn key(&self, k: &str) -> String {
        format!("{}{k}", self.prefix)
    }

    pub async fn rate(&self, key: &str, p: Params) -> Result<Decision, String> {
        let mut c = self.conn.clone();
        let (ok, wait): (i64, i64) = self
            .gcra
            .key(self.key(key))
            .arg(p.emission_ns / 1000)
            .arg(p.tolerance_ns / 1000)
            .invoke_async(&mut c)
            .await
            .map_err(|e| format!("redis: {e}"))?;
        Ok(if ok == 1 {
            Decision::Allow
        } else {
            Decision::Deny {
                retry_after_ns: (wait.max(0) as u64) * 1000,
            }
        })
    }

    pub async fn incr_below(
        &self,
        key: &str,
        by: u64,
        limit: u64,
        expire_at: u64,
    ) -> Result<bool, String> {
        let mut c = self.conn.clone();
        let ok: i64 = self
            .incr_below
            .key(self.key(key))
            .arg(by)
            .arg(limit)
            .arg(expire_at)
            .invoke_async(&mut c)
            .await
            .map_err(|e| format!("redis: {e}"))?;
        Ok(ok == 1)
    }

    pub async fn add(&self, key: &str, by: u64, expire_at: u64) -> Result<(), String> {
        let mut c = self.conn.clone();
        let _: i64 = self
            .add
            .key(self.key(key))
            .arg(by)
            .arg(expire_at)
            .invoke_async(&mut c)
            .await
            .map_err(|e| format!("redis: {e}"))?;
        Ok(())
    }

    pub async fn ping(&self) -> bool {
        let mut c = self.conn.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .is_ok()
    }
}
