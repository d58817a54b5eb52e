//! Users and their key slots: add, change password, remove, list.

use crate::audit::actions;
use std::collections::HashMap;
use ts_rs::TS;

use serde::Serialize;

use super::{begin, keys, Error, Result, Session};
use crate::domain::{self, Operation, Role};
use crate::records::User;
use crate::store;
use crate::vault::VaultError;

/// User names are sign-in names: lower-case letters, digits, `.`, `_`, `-`; 2–64 characters.
pub(super) fn validate_user_name(name: &str) -> Result<String> {
    let n = name.trim().to_lowercase();
    let ok = (2..=64).contains(&n.len())
        && n.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if !ok {
        return Err(Error::Invalid(
            "a user name is 2–64 characters: letters a–z, digits, '.', '_' or '-'".into(),
        ));
    }
    Ok(n)
}

/// A user as listed to admins.
#[derive(Clone, Debug, Serialize, TS)]
pub struct UserSummary {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
}

impl Session {
    pub(super) fn require(&mut self, op: Operation, action: &str) -> Result<()> {
        if let Err(e) = domain::authorize(&self.actor(), op, None, None) {
            return self.refuse(self.event(action), e);
        }
        Ok(())
    }

    /// Adds a user with their own key slot (admins).
    pub fn add_user(&mut self, name: &str, role: Role, password: &str) -> Result<User> {
        self.require(Operation::ManageUsers, actions::USER_CREATE)?;
        let name = validate_user_name(name)?;
        if store::users::find_active_by_name(&self.conn, &name)?.is_some() {
            return Err(Error::Invalid(
                "a user with this name already exists".into(),
            ));
        }
        let mut user = User {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            role,
            slot_id: String::new(),
            created_at: crate::clock::format(crate::clock::now()),
            removed_at: None,
        };
        let event = self
            .event(actions::USER_CREATE)
            .on("user", &user.id)
            .with("role", role.as_str());
        let tx = begin(&mut self.conn)?;
        // The slot is written before the commit: if the commit fails the slot opens nothing
        // (no user refers to it), whereas the other order could leave a user who cannot sign in.
        let slot = self.slots.add_user(&self.master, &user.name, password)?;
        user.slot_id = slot.id.clone();
        let written = store::users::insert(&tx, &user)
            .map_err(Error::from)
            .and_then(|()| keys::store_slot_secret(&tx, &self.master, &slot))
            .and_then(|()| Ok(self.audit.append(&tx, event)?))
            .and_then(|_| Ok(tx.commit()?));
        if let Err(e) = written {
            let _ = self.slots.remove(&self.master, &user.slot_id);
            return Err(e);
        }
        tracing::info!(user_id = %user.id, role = %role, "user added");
        Ok(user)
    }

    /// Changes a password: one's own, or (admins) another user's. Only that slot is rewrapped.
    pub fn change_password(&mut self, user_name: Option<&str>, new_password: &str) -> Result<()> {
        let target = match user_name {
            None => self.user.clone(),
            Some(name) => {
                let name = validate_user_name(name)?;
                if name != self.user.name {
                    self.require(Operation::ManageUsers, actions::USER_PASSWD)?;
                }
                store::users::find_active_by_name(&self.conn, &name)?.ok_or_else(|| {
                    Error::NotFound {
                        what: "user",
                        id: name.clone(),
                    }
                })?
            }
        };
        let event = self
            .event(actions::USER_PASSWD)
            .on("user", &target.id)
            .with("own", target.id == self.user.id);
        let tx = begin(&mut self.conn)?;
        self.audit.append(&tx, event)?;
        let slot = self.slots.change_password(
            &target.slot_id,
            &self.master,
            &target.name,
            new_password,
        )?;
        keys::store_slot_secret(&tx, &self.master, &slot)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a user (admins): their slot and its secret are deleted, so their password opens
    /// nothing, and the master key is rotated, so an old copy of the slot file opens nothing
    /// either; their record stays for the audit trail. The last admin cannot be removed.
    pub fn remove_user(&mut self, name: &str) -> Result<()> {
        self.require(Operation::ManageUsers, actions::USER_REMOVE)?;
        let name = validate_user_name(name)?;
        let target = store::users::find_active_by_name(&self.conn, &name)?.ok_or_else(|| {
            Error::NotFound {
                what: "user",
                id: name.clone(),
            }
        })?;
        if target.role == Role::Admin
            && store::users::count_active_with_role(&self.conn, "admin")? <= 1
        {
            return Err(Error::Invalid(
                "the last admin cannot be removed; add another admin first".into(),
            ));
        }
        let event = self
            .event(actions::USER_REMOVE)
            .on("user", &target.id)
            .with("role", target.role.as_str());
        let now = crate::clock::format(crate::clock::now());
        let tx = begin(&mut self.conn)?;
        store::users::mark_removed(&tx, &target.id, &now)?;
        store::keys::delete_slot_secret(&tx, &target.slot_id)?;
        self.audit.append(&tx, event)?;
        tx.commit()?;
        match self.slots.remove(&self.master, &target.slot_id) {
            // Already gone (another session removed it): the rotation below still runs.
            Ok(()) | Err(VaultError::NoSlot) => {}
            Err(e) => return Err(e.into()),
        }
        tracing::info!(user_id = %target.id, "user removed");
        self.rotate_after_removal()
    }

    /// Every user's name by id, removed users included: lists and timelines show who acted.
    /// Any signed-in user may see colleagues' user names; they are not PHI.
    pub fn user_names(&self) -> Result<HashMap<String, String>> {
        Ok(store::users::names(&self.conn)?.into_iter().collect())
    }

    /// Active users (admins).
    pub fn list_users(&mut self) -> Result<Vec<UserSummary>> {
        self.require(Operation::ManageUsers, actions::USER_LIST)?;
        let users = store::users::list_active(&self.conn)?;
        self.record(self.event(actions::USER_LIST).with("returned", users.len()))?;
        Ok(users
            .into_iter()
            .map(|u| UserSummary {
                id: u.id,
                name: u.name,
                role: u.role,
                created_at: u.created_at,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_normalised_and_restricted() {
        assert_eq!(validate_user_name(" Rita.H ").unwrap(), "rita.h");
        assert!(validate_user_name("a").is_err());
        assert!(validate_user_name("rita hansen").is_err());
        assert!(validate_user_name("../x").is_err());
    }
}
