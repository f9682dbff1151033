use clap::Parser;
use unioncard_server::Config;

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

#[global_allocator]
static ALLOCATOR: SmallToMimalloc = SmallToMimalloc;

/// Blocks of this size and above go to the C library's allocator.
const BIG: usize = 1024 * 1024;

/// The server's small allocations (rows, answers, JSON) go to mimalloc:
/// under load the directory spent a fifth of its time in glibc's malloc and
/// free, and mimalloc served 25% more pages a second. Big blocks (a
/// password hash's 19 MiB, an upload) stay with glibc, which with
/// [`return_big_blocks_to_the_system`] maps each one on its own and unmaps
/// it when freed; mimalloc kept them: measured, 200 sign-ins left the
/// server at 87 MB instead of 43. SQLite uses the C library's allocator
/// whatever Rust's is.
struct SmallToMimalloc;

// SAFETY: every block is freed, grown or shrunk by the allocator that made
// it: `dealloc` and `realloc` receive the layout the block was allocated
// with, so the size test picks the same allocator again, and a block that
// crosses the line is moved to the other allocator by allocating, copying
// and freeing.
unsafe impl GlobalAlloc for SmallToMimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= BIG {
            System.alloc(layout)
        } else {
            MiMalloc.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= BIG {
            System.alloc_zeroed(layout)
        } else {
            MiMalloc.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= BIG {
            System.dealloc(ptr, layout)
        } else {
            MiMalloc.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= BIG, new_size >= BIG) {
            (false, false) => MiMalloc.realloc(ptr, layout, new_size),
            (true, true) => System.realloc(ptr, layout, new_size),
            _ => {
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

fn main() -> anyhow::Result<()> {
    return_big_blocks_to_the_system();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Each password hash takes a 19 MiB block. glibc's malloc raises its mmap
/// threshold after the first such block is freed and from then on keeps
/// freed blocks in per-thread arenas: measured, 400 hashes two at a time left
/// the server at 257 MB for good. A fixed threshold makes every block above
/// 1 MiB its own mapping, returned to the system when freed. (Only glibc has
/// this behaviour and this knob; musl and others return large blocks already.)
fn return_big_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called once, at
    // start, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::parse();
    if config.openapi {
        println!("{}", unioncard_server::routes::openapi_json());
        return Ok(());
    }
    config.init_logging();
    let state = unioncard_server::prepare(&config).await?;
    // Reminders the server sends by itself (the tests call them directly).
    unioncard_server::reminders::spawn(state.db.clone());
    let listener = unioncard_server::bind(&config).await?;
    unioncard_server::serve(
        listener,
        state,
        config.static_dir.clone(),
        shutdown_signal(),
    )
    .await
}

/// Completes on Ctrl-C or SIGTERM, so in-flight requests finish and the
/// database is closed cleanly when a supervisor stops us.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
