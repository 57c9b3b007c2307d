def post_init_hook(env):
    """Give every existing warehouse its RMA location and RMA receipt type."""
    env["stock.warehouse"].with_context(active_test=False).search(
        []
    )._aftersales_rma_setup()
