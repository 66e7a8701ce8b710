"""Creator Lift: the entry point asks for sign-in where configured, lists the screens, draws the shared sidebar.

`streamlit run app.py` reads this file twice. First as the server (`app`, an st.App that Streamlit finds in it),
which holds the default workspace's store from the moment it starts (`ui.server`); then on every visit as the
script that draws the page, run as `__main__`.
"""

import streamlit as st


def main() -> None:
    from ui.brands import brand_switcher, demo_notice
    from ui.layout import narrow_screen_style
    from ui.navigation import navigation, page_links
    from ui.session import begin_run, require_sign_in, sign_out_button
    from ui.settings import keep_repeat_days
    from ui.sidebar import link_params, sidebar_filters

    st.set_page_config(page_title="Creator Lift", page_icon=":material/trending_up:", layout="wide")
    narrow_screen_style()
    require_sign_in()
    begin_run()
    screens = navigation()
    menu = st.sidebar.container()  # above the title, where st.navigation's own menu stands on a phone
    st.sidebar.title("Creator Lift")
    workspace = brand_switcher()
    if not workspace.is_demo:  # the browser's tab names the brand too: an agency keeps a dozen open
        st.set_page_config(page_title=f"{workspace.name} · Creator Lift")
    sign_out_button()
    demo_notice(workspace)
    sidebar_filters()
    keep_repeat_days()
    # Drawn once the brand and filters are in the URL, so that each link carries them.
    page_links(menu, link_params())
    screens.run()


if __name__ == "__main__":
    main()
else:
    from starlette.middleware import Middleware

    from ui.server import UploadCeiling, lifespan

    app = st.App("app.py", lifespan=lifespan, middleware=[Middleware(UploadCeiling)])
