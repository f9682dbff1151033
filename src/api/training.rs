//! Skills training: courses, sign-ups; officers' courses, sessions and rosters.

use super::*;
use gloo_net::http::Request;
use unioncard_api::join::Page;
use unioncard_api::training::{
    AttendanceInput, CourseInput, CourseView, SessionInput, SessionRoster, SessionView, SignupView,
    StaffCourse,
};

/// A page of courses.
pub async fn courses(category: Option<&str>, q: &str) -> Result<Page<CourseView>, Failure> {
    let mut url = String::from("/api/courses?limit=50");
    if let Some(c) = category {
        url.push_str(&format!("&category={c}"));
    }
    if !q.trim().is_empty() {
        url.push_str(&format!("&q={}", js_sys::encode_uri_component(q.trim())));
    }
    get(&url).await
}

/// One course.
pub async fn course(id: i64) -> Result<CourseView, Failure> {
    get(&format!("/api/courses/{id}")).await
}

/// Signs up for a session.
pub async fn sign_up(session_id: i64) -> Result<SignupView, Failure> {
    post(&format!("/api/sessions/{session_id}/signups"), &Empty {}).await
}

/// Cancels a sign-up.
pub async fn cancel_signup(id: i64) -> Result<(), Failure> {
    let req = with_headers(Request::delete(&format!("/api/signups/{id}")));
    read(req.send().await).await
}

/// The member's sign-ups.
pub async fn my_signups() -> Result<kept::Kept<Page<SignupView>>, Failure> {
    kept::get_kept("/api/me/signups").await
}

/// The officer's courses.
pub async fn staff_courses() -> Result<Page<StaffCourse>, Failure> {
    get("/api/staff/courses").await
}

/// Creates a course.
pub async fn create_course(input: &CourseInput) -> Result<StaffCourse, Failure> {
    post("/api/staff/courses", input).await
}

/// Adds a session.
pub async fn add_session(course_id: i64, input: &SessionInput) -> Result<SessionView, Failure> {
    post(&format!("/api/staff/courses/{course_id}/sessions"), input).await
}

/// A session's roster.
pub async fn session_roster(id: i64) -> Result<SessionRoster, Failure> {
    get(&format!("/api/staff/sessions/{id}/roster")).await
}

/// Marks attendance.
pub async fn mark_attendance(signup_id: i64, attended: bool) -> Result<SessionRoster, Failure> {
    post(
        &format!("/api/staff/signups/{signup_id}/attendance"),
        &AttendanceInput { attended },
    )
    .await
}

/// Issues a certificate.
pub async fn issue_certificate(signup_id: i64) -> Result<SessionRoster, Failure> {
    post(
        &format!("/api/staff/signups/{signup_id}/certificate"),
        &Empty {},
    )
    .await
}

/// Edits a course.
pub async fn update_course(id: i64, input: &CourseInput) -> Result<StaffCourse, Failure> {
    let req = with_headers(Request::put(&format!("/api/staff/courses/{id}")))
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// Edits a session.
pub async fn update_session(id: i64, input: &SessionInput) -> Result<SessionView, Failure> {
    let req = with_headers(Request::put(&format!("/api/staff/sessions/{id}")))
        .json(input)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}
