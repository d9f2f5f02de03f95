/** One variable of a message: a received header or data set for sending (main/message.c `struct msg_data`). */
interface MessageVariable {
  /** The name as first written (lookups ignore case). */
  readonly name: string;
  value: string;
  /** Sent as a header by MessageSend (set through MESSAGE_DATA(), or marked with MESSAGE(custom_data)). */
  outbound: boolean;
}

/**
 * A text message as Asterisk's core carries it (main/message.c `struct ast_msg`): To, From,
 * body, where the dialplan routes it, and named variables. Variables received with a message
 * (its headers) stay inbound; MESSAGE_DATA() writes outbound ones, which MessageSend sends as
 * headers.
 */
export class TextMessage {
  /** MESSAGE(to): the recipient (for a received SIP MESSAGE, its Request-URI). */
  to = '';
  /** MESSAGE(from): the sender, `"name" <uri>` or `<uri>`. */
  from = '';
  /** MESSAGE(body). */
  body = '';
  /** Where the dialplan handles a received message. */
  context = '';
  exten = '';
  /** The technology it came in on (`SIP`) and the device it came from, when known. */
  tech = '';
  endpoint = '';
  readonly #variables = new Map<string, MessageVariable>();

  /**
   * Sets a variable (ast_msg_set_var / ast_msg_set_var_outbound): an empty value removes it;
   * setting an existing one (any case) replaces its value and direction.
   */
  setVariable(name: string, value: string, outbound: boolean): void {
    const key = name.toLowerCase();
    const existing = this.#variables.get(key);
    if (value === '') {
      this.#variables.delete(key);
      return;
    }
    if (existing === undefined) {
      this.#variables.set(key, { name, value, outbound });
    } else {
      existing.value = value;
      existing.outbound = outbound;
    }
  }

  /** A variable's value, any case (MESSAGE_DATA() read); undefined when not set. */
  variable(name: string): string | undefined {
    return this.#variables.get(name.toLowerCase())?.value;
  }

  /** MESSAGE(custom_data)=mark_all_outbound / clear_all_outbound. */
  markAll(outbound: boolean): void {
    for (const variable of this.#variables.values()) variable.outbound = outbound;
  }

  /** The variables to send, as `[name, value]` in the order they were first set. */
  outboundVariables(): [string, string][] {
    return [...this.#variables.values()].filter((variable) => variable.outbound).map((variable) => [variable.name, variable.value]);
  }
}
