//! The app's async work in short slices of the browser's time.
//!
//! Leptos runs its effects, resources and suspended views as futures, and
//! `wasm-bindgen-futures` polls every ready one in the microtasks of the
//! task that woke them. At start that is one long task: the app's first
//! screen built, then every effect and answer behind it, with no chance for
//! the browser to paint or answer a tap in between. Lighthouse counts such a
//! task's time over 50 ms (at a quarter of this machine's speed) as
//! blocking, and a cheap phone feels it the same way.
//!
//! [`init`] gives Leptos an executor that still polls with
//! `wasm-bindgen-futures` but lets a new future start only while the
//! current slice is under [`BUDGET_MS`]: after that, it is put back until
//! the next slice, which starts in a task of its own (a message on a
//! `MessageChannel`, which the browser runs after painting if a frame is
//! due and which, unlike a zero timeout, is never clamped to 4 ms). Order
//! is kept: the futures put back are woken in the order they came.
//!
//! Only a future's first run waits. Later runs are wake-ups (a signal
//! changed, an answer came), and one change wakes several views at once:
//! a list and the loading line under it. Run in different slices, the
//! phone painted the list above a loading line that had not yet gone, and
//! the line jumped down before it went (a layout shift Lighthouse counted
//! on 优惠).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use wasm_bindgen::prelude::*;

/// How long one slice may run futures, in ms. A quarter of Lighthouse's
/// 50 ms, less the room a slice's first future may overrun it by.
pub const BUDGET_MS: f64 = 6.0;

/// Makes Leptos run its futures in slices (before mounting: Leptos keeps
/// the first executor it is given).
pub fn init() {
    // Fails only if an executor is already set, and then that one runs.
    let _ = Executor::init_local_custom_executor(Sliced);
}

/// The executor: every future wrapped in [`InSlice`].
struct Sliced;

impl CustomExecutor for Sliced {
    fn spawn(&self, fut: PinnedFuture<()>) {
        // One thread in the browser: a `Send` future runs like any other.
        wasm_bindgen_futures::spawn_local(InSlice::new(fut));
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        wasm_bindgen_futures::spawn_local(InSlice::new(fut));
    }

    fn poll_local(&self) {}
}

/// Runs `f` in a task of its own, after this one (a zero timeout). One
/// boxed closure type for every caller: Leptos' `set_timeout` made the
/// browser's timeout code again for each closure, in the first download.
pub fn in_next_task(f: Box<dyn FnOnce()>) {
    let call = Closure::once_into_js(f);
    let later =
        web_sys::window().and_then(|w| w.set_timeout_with_callback(call.unchecked_ref()).ok());
    if later.is_none() {
        // No window to ask: at once rather than never.
        let _ = js_sys::Function::from(call).call0(&JsValue::NULL);
    }
}

/// A future whose first run waits for the next slice when this one is
/// spent.
struct InSlice<F>
where
    F: Future<Output = ()> + ?Sized,
{
    started: bool,
    future: Pin<Box<F>>,
}

impl<F> InSlice<F>
where
    F: Future<Output = ()> + ?Sized,
{
    fn new(future: Pin<Box<F>>) -> Self {
        InSlice {
            started: false,
            future,
        }
    }
}

impl<F> Future for InSlice<F>
where
    F: Future<Output = ()> + ?Sized,
{
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.started {
            if SLICE.with(|s| s.wait_for_next(cx.waker())) {
                return Poll::Pending;
            }
            self.started = true;
        }
        self.future.as_mut().poll(cx)
    }
}

/// The current slice.
struct Slice {
    /// Whether a slice has begun whose end (the next message) has not come.
    open: Cell<bool>,
    /// When it began (`performance.now()`).
    began: Cell<f64>,
    /// The futures put back, in order.
    waiting: RefCell<Vec<Waker>>,
    /// Whether the message that ends the slice is on its way.
    posted: Cell<bool>,
    /// The channel the slices' ends come through, made on first use.
    channel: RefCell<Option<Channel>>,
}

struct Channel {
    port: web_sys::MessagePort,
    _other: web_sys::MessagePort,
    _on_message: Closure<dyn FnMut(JsValue)>,
}

thread_local! {
    static SLICE: Slice = const {
        Slice {
            open: Cell::new(false),
            began: Cell::new(0.0),
            waiting: RefCell::new(Vec::new()),
            posted: Cell::new(false),
            channel: RefCell::new(None),
        }
    };
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Slice {
    /// Whether the future must wait for the next slice (its waker is then
    /// kept); otherwise it runs, in a slice begun now if none is open.
    fn wait_for_next(&self, waker: &Waker) -> bool {
        let now = now();
        if !self.open.get() {
            self.open.set(true);
            self.began.set(now);
            self.post();
            return false;
        }
        if now - self.began.get() < BUDGET_MS {
            return false;
        }
        self.waiting.borrow_mut().push(waker.clone());
        self.post();
        true
    }

    /// Sends the message that ends the open slice, once.
    fn post(&self) {
        if self.posted.replace(true) {
            return;
        }
        let mut channel = self.channel.borrow_mut();
        if channel.is_none() {
            *channel = Channel::new();
        }
        match channel.as_ref() {
            Some(c) => {
                if c.port.post_message(&JsValue::NULL).is_err() {
                    self.posted.set(false);
                }
            }
            // No channel (not in a browser window): no slices, every future
            // runs at once.
            None => {
                self.posted.set(false);
                self.open.set(false);
            }
        }
    }

    /// The message came: the open slice is over; a new one begins for the
    /// futures put back, woken in their order.
    fn next(&self) {
        self.posted.set(false);
        self.open.set(false);
        let waiting = std::mem::take(&mut *self.waiting.borrow_mut());
        if waiting.is_empty() {
            return;
        }
        self.open.set(true);
        self.began.set(now());
        self.post();
        for waker in waiting {
            waker.wake();
        }
    }
}

impl Channel {
    fn new() -> Option<Channel> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let on_message: Closure<dyn FnMut(JsValue)> =
            Closure::new(|_: JsValue| SLICE.with(Slice::next));
        // What is posted on one port arrives at the other.
        let other = channel.port2();
        other.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Channel {
            port: channel.port1(),
            _other: other,
            _on_message: on_message,
        })
    }
}
