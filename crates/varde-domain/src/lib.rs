//! The domain: Varde's rules as pure functions and types — the case workflow, who may do what,
//! national identity numbers, retention. Nothing here touches SQL, files, the clock or the network,
//! so every rule is tested without a database.

pub mod access;
pub mod case;
pub mod checks;
pub mod document;
pub mod national_id;
pub mod retention;
pub mod signal;

pub use access::{
    authorize, list_scope, permitted_case_actions, screens, AccessDenied, Actor, CaseAction, Grant,
    ListScope, Operation, Role, Screen,
};
pub use case::{
    CaseKind, CaseStatus, Decision, Divergence, ReviewAction, Suggestion, TransitionError,
};
