//! The Warden runtime security gateway: phases as tower layers.
