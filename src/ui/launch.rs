//! What the desktop needs from the machine before its window can open, checked before the
//! event loop starts: a display, and the system libraries the windowing and OpenGL code loads
//! at run time. A missing one is named with the Debian package that provides it, instead of
//! the panic or driver dump the libraries would otherwise give.
//!
//! The libraries are opened with `dlopen` exactly as winit and glutin will open them, and
//! closed again; nothing here links against them.

use std::fmt;

/// A library the desktop loads at run time, and the Debian package that provides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Library {
    pub soname: &'static str,
    pub package: &'static str,
    /// What it is for, in a few words.
    pub role: &'static str,
}

const fn lib(soname: &'static str, package: &'static str, role: &'static str) -> Library {
    Library {
        soname,
        package,
        role,
    }
}

/// An X11 session's libraries (winit's X11 backend and its keyboard handling).
pub const X11_LIBRARIES: [Library; 6] = [
    lib("libX11.so.6", "libx11-6", "X11 client library"),
    lib("libXcursor.so.1", "libxcursor1", "X11 cursors"),
    lib("libXrandr.so.2", "libxrandr2", "X11 screen sizes"),
    lib("libXi.so.6", "libxi6", "X11 input"),
    lib("libxkbcommon.so.0", "libxkbcommon0", "keyboard layouts"),
    lib(
        "libxkbcommon-x11.so.0",
        "libxkbcommon-x11-0",
        "X11 keyboard layouts",
    ),
];

/// A Wayland session's libraries (OpenGL on Wayland draws through libwayland-egl).
pub const WAYLAND_LIBRARIES: [Library; 3] = [
    lib(
        "libwayland-client.so.0",
        "libwayland-client0",
        "Wayland client library",
    ),
    lib(
        "libwayland-egl.so.1",
        "libwayland-egl1",
        "Wayland OpenGL surfaces",
    ),
    lib("libxkbcommon.so.0", "libxkbcommon0", "keyboard layouts"),
];

/// OpenGL through EGL, and Mesa's EGL driver behind it (software rendering included).
pub const GL_LIBRARIES: [Library; 2] = [
    lib("libEGL.so.1", "libegl1", "OpenGL (EGL)"),
    lib(
        "libEGL_mesa.so.0",
        "libegl-mesa0 libgl1-mesa-dri",
        "Mesa OpenGL drivers",
    ),
];

/// Mesa's GLX driver: glutin may use it instead of EGL on X11, so either Mesa driver will do.
const MESA_GLX: &str = "libGLX_mesa.so.0";

/// Why the window cannot open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaunchProblem {
    /// Neither `DISPLAY` nor `WAYLAND_DISPLAY` is set.
    NoDisplay,
    /// Libraries that could not be loaded.
    MissingLibraries(Vec<Library>),
    /// OpenGL would not start although its libraries load: Mesa's drivers are missing or
    /// broken (glutin's own words).
    OpenGl(String),
    /// The window system refused after the checks passed (its own words).
    Window(String),
}

impl fmt::Display for LaunchProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LaunchProblem::NoDisplay => write!(
                f,
                "no display to open the desktop window on: neither DISPLAY (X11) nor \
                 WAYLAND_DISPLAY (Wayland) is set. Run agentdesk inside a graphical session, \
                 or under Xvfb (xvfb-run -a agentdesk)."
            )?,
            LaunchProblem::MissingLibraries(libs) => {
                writeln!(
                    f,
                    "the desktop window needs system libraries that are missing:"
                )?;
                for l in libs {
                    writeln!(
                        f,
                        "  {} ({}), from the package {}",
                        l.soname, l.role, l.package
                    )?;
                }
                let mut packages: Vec<&str> =
                    libs.iter().flat_map(|l| l.package.split(' ')).collect();
                packages.dedup();
                write!(
                    f,
                    "On Debian or Ubuntu: sudo apt-get install {}",
                    packages.join(" ")
                )?;
            }
            LaunchProblem::OpenGl(e) => write!(
                f,
                "OpenGL would not start ({e}). Mesa's drivers may be missing: on Debian or \
                 Ubuntu, sudo apt-get install libgl1-mesa-dri libegl-mesa0"
            )?,
            LaunchProblem::Window(e) => write!(f, "the window system refused the window: {e}")?,
        }
        write!(
            f,
            "\nEvery command (matrix, roles check, explain, run) works without a display."
        )
    }
}

/// Checks that a window can open here, with `env` standing for the environment (tests pass
/// their own) and `loads` saying whether a library can be loaded.
pub fn check_with(
    env: impl Fn(&str) -> Option<String>,
    loads: impl Fn(&str) -> bool,
) -> Result<(), LaunchProblem> {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    let session: &[Library] = if set("WAYLAND_DISPLAY") {
        &WAYLAND_LIBRARIES
    } else if set("DISPLAY") {
        &X11_LIBRARIES
    } else {
        return Err(LaunchProblem::NoDisplay);
    };
    let [egl, mesa] = GL_LIBRARIES;
    let mut missing: Vec<Library> = session
        .iter()
        .chain([&egl])
        .copied()
        .filter(|l| !loads(l.soname))
        .collect();
    if !loads(mesa.soname) && !loads(MESA_GLX) {
        missing.push(mesa);
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(LaunchProblem::MissingLibraries(missing))
    }
}

/// [`check_with`] on this process's environment and libraries.
pub fn check() -> Result<(), LaunchProblem> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    check_with(|name| std::env::var(name).ok(), can_load)
}

fn can_load(soname: &str) -> bool {
    // SAFETY: loading runs the library's initialisers. These are the system's own windowing
    // and GL libraries, which winit and glutin load into this process moments later anyway.
    unsafe { libloading::Library::new(soname) }.is_ok()
}

/// The words for an error eframe returned after the checks passed: a missing GL driver (the
/// DRI files of libgl1-mesa-dri) shows up only when OpenGL is asked for a configuration.
pub fn window_error(e: &eframe::Error) -> LaunchProblem {
    match e {
        eframe::Error::NoGlutinConfigs(..) => {
            LaunchProblem::OpenGl("no OpenGL configuration matches".into())
        }
        eframe::Error::Glutin(e) => LaunchProblem::OpenGl(e.to_string()),
        eframe::Error::OpenGL(e) => LaunchProblem::OpenGl(e.to_string()),
        other => LaunchProblem::Window(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_display_is_named_and_points_at_the_cli() {
        let e = check_with(env(&[("DISPLAY", "")]), |_| true).unwrap_err();
        assert_eq!(e, LaunchProblem::NoDisplay);
        let text = e.to_string();
        assert!(
            text.contains("DISPLAY") && text.contains("xvfb-run"),
            "{text}"
        );
        assert!(text.contains("works without a display"), "{text}");
    }

    #[test]
    fn a_missing_library_is_named_with_its_package() {
        let e =
            check_with(env(&[("DISPLAY", ":0")]), |l| l != "libxkbcommon-x11.so.0").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains(
                "libxkbcommon-x11.so.0 (X11 keyboard layouts), from the package libxkbcommon-x11-0"
            ),
            "{text}"
        );
        assert!(
            text.contains("apt-get install libxkbcommon-x11-0\n"),
            "{text}"
        );
    }

    #[test]
    fn missing_mesa_names_the_driver_packages() {
        let e = check_with(env(&[("DISPLAY", ":0")]), |l| !l.contains("_mesa")).unwrap_err();
        assert!(
            e.to_string()
                .contains("apt-get install libegl-mesa0 libgl1-mesa-dri"),
            "{e}"
        );
    }

    #[test]
    fn wayland_needs_its_own_libraries_not_x11s() {
        let checked = std::cell::RefCell::new(Vec::new());
        check_with(env(&[("WAYLAND_DISPLAY", "wayland-0")]), |l| {
            checked.borrow_mut().push(l.to_string());
            true
        })
        .unwrap();
        let checked = checked.into_inner();
        assert!(checked.contains(&"libwayland-client.so.0".to_string()));
        assert!(!checked.contains(&"libX11.so.6".to_string()));
    }
}
