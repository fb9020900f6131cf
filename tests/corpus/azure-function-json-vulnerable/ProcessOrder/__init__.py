import logging

import azure.functions as func


def main(msg: func.QueueMessage) -> None:
    logging.info("processing order %s", msg.id)
